// micropip and packaging for install tests: the genuine wheels from ../shared/wheels (see
// ./shared-wheels), with the lock entries a test lock file needs to load them.
import { SHARED_WHEELS_DIR, sharedWheel, type SharedWheel } from './shared-wheels';

export type ToolName = 'micropip' | 'packaging';
export interface ToolWheel extends SharedWheel {
  name: ToolName;
  version: string;
}

export function toolWheel(name: ToolName): ToolWheel | undefined {
  const wheel = sharedWheel(`${name}-`);
  return wheel && { ...wheel, name, version: wheel.fileName.split('-')[1]! };
}

/** Why the install tools cannot be used (tests skip with it), or undefined. */
export const TOOLS_MISSING: string | undefined =
  toolWheel('micropip') && toolWheel('packaging')
    ? undefined
    : `micropip or packaging wheel not found in ${SHARED_WHEELS_DIR} (set PYLOOM_SHARED_WHEELS)`;

/** A lock entry for the wheel, served from the package base URL (a test lock, as micropip.freeze makes). */
export function toolLockEntry(wheel: ToolWheel): object {
  return {
    name: wheel.name,
    version: wheel.version,
    file_name: wheel.fileName,
    install_dir: 'site',
    sha256: wheel.sha256,
    package_type: 'package',
    imports: [wheel.name],
    depends: [],
    unvendored_tests: false,
  };
}
