import { bootc, ruleTable } from '../helpers/lint';

const context = (files: Record<string, string>) => ({ readContextFile: (path: string) => files[path] });

ruleTable('kargs-toml', {
  valid: [
    { name: 'COPY heredoc', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/10-console.toml\nkargs = ["console=ttyS0", "quiet"]\nmatch-architectures = ["x86_64", "aarch64"]\nEOF') },
    { name: 'cat heredoc', text: bootc("RUN mkdir -p /usr/lib/bootc/kargs.d && cat > /usr/lib/bootc/kargs.d/20-nosmt.toml <<'EOF'\n# disable SMT\nkargs = [\"nosmt\"]\nEOF") },
    { name: 'echo redirect', text: bootc("RUN echo 'kargs = [\"mitigations=auto,nosmt\"]' > /usr/lib/bootc/kargs.d/30-mitigations.toml") },
    { name: 'printf with escapes', text: bootc("RUN printf 'kargs = [\"console=tty0\", \"console=ttyS0,115200\"]\\nmatch-architectures = [\"s390x\", \"ppc64le\"]\\n' > /usr/lib/bootc/kargs.d/10-con.toml") },
    { name: 'the kargs-via-kargs-d fix', text: bootc("RUN mkdir -p /usr/lib/bootc/kargs.d && printf '%s\\n' 'kargs = [\"a=b\", \"c\"]' > /usr/lib/bootc/kargs.d/10-a.toml") },
    { name: 'empty kargs array', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/00-none.toml\nkargs = []\nEOF') },
    { name: 'context file that is valid', text: bootc('COPY kargs/10-console.toml /usr/lib/bootc/kargs.d/'), options: context({ 'kargs/10-console.toml': 'kargs = ["console=ttyS0"]\n' }) },
    { name: 'context file we cannot read', text: bootc('COPY kargs.d/ /usr/lib/bootc/kargs.d/'), options: context({}) },
    { name: 'dynamic content', text: bootc('ARG ARCH\nRUN echo "kargs = [\\"a\\"]\\nmatch-architectures = [\\"$ARCH\\"]" > /usr/lib/bootc/kargs.d/10-a.toml') },
    { name: 'tee heredoc with output to /dev/null', text: bootc("RUN tee /usr/lib/bootc/kargs.d/10-a.toml > /dev/null <<'EOF'\nkargs = [\"quiet\"]\nmatch-architectures = [\"riscv64\"]\nEOF") },
    { name: 'not a .toml file', text: bootc('RUN echo garbage > /usr/lib/bootc/kargs.d/README') },
    { name: 'other directories', text: bootc('RUN echo "kargs = 1" > /etc/kargs.toml') },
    { name: 'fixed up later with sed', text: bootc("RUN printf 'kargs = [\"a\"]\\nmatch-architectures = [\"amd64\"]\\n' > /usr/lib/bootc/kargs.d/10-a.toml && sed -i s/amd64/x86_64/ /usr/lib/bootc/kargs.d/10-a.toml") },
    { name: 'removed later', text: bootc("RUN echo 'kargs = \"a\"' > /usr/lib/bootc/kargs.d/10-a.toml\nRUN rm -f /usr/lib/bootc/kargs.d/10-a.toml") },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN echo "kargs = 1" > /usr/lib/bootc/kargs.d/x.toml\nFROM quay.io/fedora/fedora-bootc:42\nRUN echo ok\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN echo "kargs = 1" > /usr/lib/bootc/kargs.d/x.toml\n' },
  ],
  invalid: [
    { name: 'amd64 in a COPY heredoc (fix)', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/10-console.toml\nkargs = ["console=ttyS0"]\nmatch-architectures = ["amd64"]\nEOF'), at: 'amd64' },
    { name: 'arm64 in a printf (fix)', text: bootc("RUN set -eux; printf 'kargs = [\"a\"]\\nmatch-architectures = [\"arm64\"]\\n' > /usr/lib/bootc/kargs.d/10-a.toml"), at: 'arm64' },
    { name: 'echo -e', text: bootc("RUN echo -e 'kargs = [\"a\"]\\nmatch-architectures = [\"amd64\"]' > /usr/lib/bootc/kargs.d/10-a.toml"), at: 'amd64' },
    { name: 'echo then >> append', text: bootc("RUN echo 'kargs = [\"a\"]' > /usr/lib/bootc/kargs.d/40.toml && \\\n    echo 'match-architectures = [\"arm64\"]' >> /usr/lib/bootc/kargs.d/40.toml"), at: 'arm64' },
    { name: '>> to a new file', text: bootc("RUN echo 'kargs = [\"a\"] extra' >> /usr/lib/bootc/kargs.d/50-a.toml"), at: 'extra' },
    { name: 'cat heredoc in a heredoc script', text: bootc("RUN <<EOT\nset -e\ncat > /usr/lib/bootc/kargs.d/10-x.toml <<'EOF'\nkargs = \"quiet\"\nEOF\nEOT"), at: '"quiet"' },
    { name: 'TOML syntax error', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/20-c.toml\nkargs = ["x"\nEOF'), at: 'kargs = ["x"' },
    { name: 'karg without quotes', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/20-c.toml\nkargs = [console=ttyS0]\nEOF'), at: 'console=ttyS0]' },
    { name: 'missing kargs', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/20-c.toml\nmatch-architectures = ["x86_64"]\nEOF'), at: '/usr/lib/bootc/kargs.d/20-c.toml' },
    { name: 'unknown key', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/20-c.toml\nkargs = ["quiet"]\ndelete = ["rhgb"]\nEOF'), at: 'delete' },
    { name: 'match_architectures with an underscore (fix)', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/20-c.toml\nkargs = ["quiet"]\nmatch_architectures = ["x86_64"]\nEOF'), at: 'match_architectures' },
    { name: 'kargs of numbers', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/20-c.toml\nkargs = [1, 2]\nEOF'), at: '[1, 2]' },
    { name: 'unknown architecture', text: bootc("RUN printf 'kargs = [\"a\"]\\nmatch-architectures = [\"i386\"]\\n' | tee /usr/lib/bootc/kargs.d/10-a.toml"), at: 'i386' },
    { name: 'heredoc named file in a directory destination', text: bootc('COPY <<10-a.toml /usr/lib/bootc/kargs.d/\nkargs = "quiet"\n10-a.toml'), at: '"quiet"' },
    { name: 'context file with amd64 (no fix)', text: bootc('COPY kargs/10-console.toml /usr/lib/bootc/kargs.d/'), options: context({ 'kargs/10-console.toml': 'kargs = ["console=ttyS0"]\nmatch-architectures = ["amd64"]\n' }), at: 'kargs/10-console.toml' },
    { name: 'context file renamed, invalid TOML', text: bootc('COPY ./files/console.toml /usr/lib/bootc/kargs.d/10-console.toml'), options: context({ 'files/console.toml': 'kargs = [\n' }), at: './files/console.toml' },
    { name: 'two bad architectures', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/10-console.toml\nkargs = ["console=ttyS0"]\nmatch-architectures = ["amd64", "arm64"]\nEOF'), count: 2, at: 'amd64' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nCOPY <<EOF /usr/lib/bootc/kargs.d/1.toml\nkargs = "x"\nEOF\nFROM base\n', at: '"x"' },
  ],
});
