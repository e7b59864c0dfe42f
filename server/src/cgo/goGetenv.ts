// cfg.Getenv: how the go command reads a setting such as $CGO_CFLAGS_ALLOW — the environment
// first, then the file `go env -w` writes. Ported from cmd/go/internal/cfg/cfg.go (Getenv,
// EnvFile, initEnvCache) of Go 1.19.8; Go 1.21+ also reads $GOROOT/go.env after that file, which
// sets no CGO_* variable (checked in Go 1.26.8 and 1.27.3), so the answer is the same.
import * as path from 'node:path';
import { readRegularFile } from './files';

/** cfg.Getenv's view of the environment: a key's value, "" when unset. */
export type Getenv = (key: string) => string;

/** cfg.EnvFile: $GOENV, else os.UserConfigDir()/go/env; undefined for GOENV=off or no config dir. */
export function goEnvFile(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string | undefined {
  const file = env.GOENV ?? '';
  if (file !== '') return file === 'off' ? undefined : file;
  let dir: string;
  switch (platform) {
    case 'win32':
      dir = env.AppData ?? env.APPDATA ?? '';
      if (dir === '') return undefined;
      break;
    case 'darwin':
      dir = env.HOME ?? '';
      if (dir === '') return undefined;
      dir += '/Library/Application Support';
      break;
    default:
      dir = env.XDG_CONFIG_HOME ?? '';
      if (dir === '') {
        dir = env.HOME ?? '';
        if (dir === '') return undefined;
        dir += '/.config';
      }
  }
  return path.join(dir, 'go/env');
}

/** initEnvCache: KEY=VALUE lines; lines without '=' or not starting with A-Z are ignored. */
export function parseGoEnvFile(data: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of data.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0 || line[0] < 'A' || line[0] > 'Z') continue;
    m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** The `go env -w` file: a regular file of at most 1 MiB (the go command writes a few lines). */
function readGoEnvFile(file: string): string {
  const read = readRegularFile(file, 1024 * 1024);
  if (!read.ok) throw new Error(`${file}: ${read.reason}`);
  return read.data.toString('utf8');
}

/**
 * cfg.Getenv over `env` (default: this process's environment): a non-empty variable wins,
 * else the `go env -w` file is consulted (read once per Getenv).
 */
export function goGetenv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  readFile: (file: string) => string = readGoEnvFile,
  platform: NodeJS.Platform = process.platform,
): Getenv {
  let fileValues: Map<string, string> | undefined;
  return (key) => {
    const value = env[key] ?? '';
    if (value !== '') return value;
    if (!fileValues) {
      fileValues = new Map();
      const file = goEnvFile(env, platform);
      if (file) {
        try {
          fileValues = parseGoEnvFile(readFile(file));
        } catch {
          // A missing or unreadable file is an empty one, as for the go command.
        }
      }
    }
    return fileValues.get(key) ?? '';
  };
}
