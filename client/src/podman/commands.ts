/**
 * The argument arrays of the podman subcommands the extension runs, without the global
 * options (`bootc.podman.extraArgs`), which go before them (see `runPodman` in tool.ts).
 * Every value stays one argument: nothing here is ever joined into a shell string.
 * No `vscode` import.
 */
import { isSecretLikeName } from '../../../server/src/lint/analysis/secret-names';

export interface BuildImageOptions {
  /** Path of the Containerfile (`-f`). */
  containerfile: string;
  /** The build context folder. */
  context: string;
  /** The image name to tag the result with (`-t`). */
  tag: string;
  /** `--build-arg NAME=VALUE` each. */
  buildArgs?: Readonly<Record<string, string>>;
  /** The stage to build (`--target`). */
  target?: string;
  /** `--secret` specs as podman takes them: `id=name,src=path` or `id=name,env=VARIABLE`. */
  secrets?: readonly string[];
  /** More `podman build` options (`bootc.build.extraArgs`), put before the context folder. */
  extraArgs?: readonly string[];
}

/** A command's arguments and the values in them to hide from anything shown. */
export interface CommandArgs {
  args: string[];
  /** Values of build arguments whose names look like credentials (`*TOKEN*`, `*PASSWORD*`...). */
  secrets: string[];
}

/**
 * `podman build` for the options. Secret files given with `--secret` are never read (podman
 * reads them); build-argument values whose names look secret are returned in `secrets` so
 * the caller can redact them. Throws when a build argument name or a secret spec is malformed.
 */
export function buildImageArgs(options: BuildImageOptions): CommandArgs {
  const { args: inputs, secrets } = buildInputArgs(options);
  // The context folder goes last: podman takes the first operand as the context.
  return { args: ['build', '-f', options.containerfile, '-t', options.tag, ...inputs, ...(options.extraArgs ?? []), options.context], secrets };
}

/**
 * The build's inputs as `podman build` and `podman farm build` take them: `--build-arg`,
 * `--target`, `--secret`. Throws when a build argument name or a secret spec is malformed.
 */
export function buildInputArgs(options: Pick<BuildImageOptions, 'buildArgs' | 'target' | 'secrets'>): CommandArgs {
  const args: string[] = [];
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(options.buildArgs ?? {})) {
    const problem = validateBuildArgName(name);
    if (problem) throw new Error(problem);
    args.push('--build-arg', `${name}=${value}`);
    if (isSecretLikeName(name) && value !== '') secrets.push(value);
  }
  if (options.target) args.push('--target', options.target);
  for (const spec of options.secrets ?? []) {
    const problem = validateSecretSpec(spec);
    if (problem) throw new Error(problem);
    args.push('--secret', spec);
  }
  return { args, secrets };
}

/** Why `name` cannot be a build argument (`ARG NAME` in the Containerfile), or undefined when it can. */
export function validateBuildArgName(name: string): string | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const shown = JSON.stringify(name);
  if (name === '') return 'A build argument name is empty: give the name of an ARG in the Containerfile, e.g. VERSION.';
  return `The build argument name ${shown} is not valid: ARG names are letters, digits and "_", not starting with a digit (e.g. FEDORA_VERSION).`;
}

/** The keys of a `podman build --secret` spec (`id=id[,src=envOrFile][,env=ENV][,type=file|env]`); buildah ignores others silently. */
const SECRET_KEYS = new Set(['id', 'src', 'env', 'type']);

/**
 * Why `spec` is not a `--secret` spec podman can use, or undefined. A spec is a comma list
 * of `key=value`: `id=NAME` (what `RUN --mount=type=secret,id=NAME` asks for) and where the
 * value comes from, `src=FILE` or `env=VARIABLE`. The secret itself never appears in it.
 */
export function validateSecretSpec(spec: string): string | undefined {
  const example = 'e.g. id=rhsm,src=/etc/pki/entitlement/key.pem or id=token,env=GITHUB_TOKEN';
  if (spec.trim() === '') return `A build secret is empty: give id=NAME and src=FILE or env=VARIABLE, ${example}.`;
  if (/\s/.test(spec)) return `The build secret "${spec.replace(/\r?\n/g, '\\n')}" contains a space or line break: a secret spec is one comma-separated list, ${example}.`;
  const fields = new Map<string, string>();
  for (const entry of spec.split(',')) {
    const equals = entry.indexOf('=');
    if (equals <= 0) return `The build secret "${spec}" has "${entry}" where key=value belongs: ${example}.`;
    const key = entry.slice(0, equals);
    if (!SECRET_KEYS.has(key)) return `The build secret "${spec}" has the unknown key "${key}", which podman would ignore: the keys are id, src, env and type, ${example}.`;
    if (fields.has(key)) return `The build secret "${spec}" gives ${key}= twice.`;
    fields.set(key, entry.slice(equals + 1));
  }
  if (!fields.get('id')) return `The build secret "${spec}" has no id=NAME: the id is what RUN --mount=type=secret,id=NAME asks for, ${example}.`;
  const source = fields.get('src');
  const env = fields.get('env');
  if (!source && !env) return `The build secret "${spec}" says neither where the file is (src=FILE) nor which variable holds it (env=VARIABLE), ${example}.`;
  if (source && env) return `The build secret "${spec}" gives both src= and env=: give one, ${example}.`;
  const type = fields.get('type');
  if (type !== undefined && type !== 'file' && type !== 'env') return `The build secret "${spec}" has type=${type}: the type is file or env.`;
  return undefined;
}

/** `podman run --rm [-it] EXTRA... IMAGE COMMAND...`: a throwaway container, interactive for a terminal. */
export function runArgs(image: string, command: readonly string[], extraArgs: readonly string[] = [], options: { interactive?: boolean } = {}): string[] {
  return ['run', '--rm', ...(options.interactive ? ['-it'] : []), ...extraArgs, operand(image, 'image'), ...command];
}

/**
 * `podman run -d --rm EXTRA... IMAGE /sbin/init`: boots the image's init (systemd) in the
 * background, as the image would boot on a machine; podman prints the container id.
 */
export function systemdRunArgs(image: string, extraArgs: readonly string[] = []): string[] {
  return ['run', '-d', '--rm', ...extraArgs, operand(image, 'image'), '/sbin/init'];
}

/** `podman logs -f CONTAINER`: follows a container's output until it stops. */
export function logsArgs(container: string): string[] {
  return ['logs', '-f', operand(container, 'container')];
}

/** `podman stop -t SECONDS CONTAINER`: SIGKILL follows the stop signal after SECONDS. */
export function stopArgs(container: string, timeoutSeconds = 10): string[] {
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0) throw new Error(`The stop timeout must be a whole number of seconds, 0 or more (not ${timeoutSeconds}).`);
  return ['stop', '-t', String(timeoutSeconds), operand(container, 'container')];
}

/** `podman push IMAGE DESTINATION`. */
export function pushArgs(image: string, destination: string): string[] {
  return ['push', operand(image, 'image'), operand(destination, 'destination')];
}

/** `podman run --rm EXTRA... IMAGE bootc container lint`: the image's own bootc checks it. */
export function containerLintArgs(image: string, extraArgs: readonly string[] = []): string[] {
  return ['run', '--rm', ...extraArgs, operand(image, 'image'), 'bootc', 'container', 'lint'];
}

/** `podman image exists IMAGE`: exit code 0 when it is in local storage, 1 when not. */
export function imageExistsArgs(image: string): string[] {
  return ['image', 'exists', operand(image, 'image')];
}

/** `podman rmi --force --ignore IMAGE...`: removes images, also ones containers use; missing ones are no error. */
export function removeImageArgs(...images: string[]): string[] {
  return ['rmi', '--force', '--ignore', ...images.map((image) => operand(image, 'image'))];
}

/** A name podman must read as an operand: one starting with "-" would be read as an option. */
function operand(value: string, what: string): string {
  if (value === '' || value.startsWith('-')) throw new Error(`The ${what} name "${value}" is not valid: ${value === '' ? 'it is empty' : 'podman would read it as an option'}.`);
  return value;
}
