/**
 * The podman the commands use, from the `bootc.podman.*` settings, checked once per
 * configuration (it runs, and is new enough) so that a missing or old podman is reported
 * before a build starts, with the install hint.
 */
import type { BootcSettings } from '../../server/src/settings';
import { checkPodman, podmanFromSettings, type Podman } from './podman/tool';

export type { Podman };

const checked = new Map<string, Promise<string>>();

/** The checked podman for these settings; rejects with a message that says what to do. */
export async function podmanFor(settings: BootcSettings): Promise<Podman> {
  const podman = podmanFromSettings(settings.podman);
  const key = JSON.stringify(settings.podman);
  let check = checked.get(key);
  if (!check) {
    check = checkPodman(podman);
    checked.set(key, check);
    // A failed check is not remembered: the user may install podman or fix the setting and retry.
    check.catch(() => checked.delete(key));
  }
  await check;
  return podman;
}
