// Settings under `cgo.`, per resource. Read through workspace/configuration when the client
// supports it; otherwise from the last didChangeConfiguration payload, else the defaults.
// `cgo.trace.server` is read by the client (vscode-languageclient), not here.
import type { DidChangeConfigurationParams } from 'vscode-languageserver';
import type { RuleId, SeveritySetting } from './cgo/findings';
import type { Rule } from './cgo/rule';
import { newestGoMinor, oldestGoMinor, parseGoMinor } from './cgo/goversion';

function isKnownGoVersion(text: string): boolean {
  const minor = parseGoMinor(text);
  return minor !== undefined && minor >= oldestGoMinor && minor <= newestGoMinor;
}

export interface CgoSettings {
  enable: boolean;
  rules: Partial<Record<RuleId, SeveritySetting>>;
  goos: string;
  goarch: string;
  /** The Go release the checks answer for ("1.24"); empty: ask the go command, then go.mod. */
  goVersion: string;
  pkgConfig: { enable: boolean };
  /** Compile the preambles with the C compiler (trusted workspaces only). */
  compiler: { enable: boolean };
  /** Which files get diagnostics: every cgo package of the workspace folders, or open files only. */
  diagnostics: { scope: DiagnosticsScope };
}

export type DiagnosticsScope = 'workspace' | 'openFiles';
const diagnosticsScopes: readonly string[] = ['workspace', 'openFiles'];

/** The defaults of package.json's contributes.configuration (test/unit/rule-parity.test.ts keeps them equal). */
export const defaultSettings: Readonly<CgoSettings> = Object.freeze({
  enable: true,
  rules: {},
  goos: '',
  goarch: '',
  goVersion: '',
  pkgConfig: { enable: true },
  compiler: { enable: true },
  diagnostics: { scope: 'workspace' as DiagnosticsScope },
});

const severitySettings: readonly string[] = ['off', 'error', 'warning', 'information'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settings from the `cgo` section as the client sends it; values of the wrong type, and rules
 * not among `rules` (the registry), fall back to their default and are reported through
 * `problem`, so a typo never disables the server.
 */
export function parseSettings(section: unknown, rules: readonly Rule[], problem: (message: string) => void): CgoSettings {
  const raw = isRecord(section) ? section : {};
  const pick = <T>(key: string, value: unknown, isValid: (v: unknown) => v is T, fallback: T): T => {
    if (value === undefined || value === null) return fallback;
    if (isValid(value)) return value;
    problem(`cgo.${key}: ignoring ${JSON.stringify(value)}`);
    return fallback;
  };
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const isString = (v: unknown): v is string => typeof v === 'string';
  const severities: Partial<Record<RuleId, SeveritySetting>> = {};
  const rawRules = pick('rules', raw.rules, isRecord, {});
  const ruleIds = rules.map((rule) => rule.id);
  for (const [id, severity] of Object.entries(rawRules)) {
    if (!ruleIds.includes(id)) problem(`cgo.rules: unknown rule "${id}" (${ruleIds.join(', ')})`);
    else if (typeof severity !== 'string' || !severitySettings.includes(severity)) {
      problem(`cgo.rules.${id}: ${JSON.stringify(severity)} is not one of ${severitySettings.join(', ')}`);
    } else severities[id] = severity as SeveritySetting;
  }
  const pkgConfig = pick('pkgConfig', raw.pkgConfig, isRecord, {});
  const compiler = pick('compiler', raw.compiler, isRecord, {});
  const diagnostics = pick('diagnostics', raw.diagnostics, isRecord, {});
  return {
    enable: pick('enable', raw.enable, isBoolean, defaultSettings.enable),
    rules: severities,
    goos: pick('goos', raw.goos, isString, defaultSettings.goos),
    goarch: pick('goarch', raw.goarch, isString, defaultSettings.goarch),
    goVersion: pick('goVersion', raw.goVersion, (v): v is string => isString(v) && (v.trim() === '' || isKnownGoVersion(v)), defaultSettings.goVersion),
    pkgConfig: { enable: pick('pkgConfig.enable', pkgConfig.enable, isBoolean, defaultSettings.pkgConfig.enable) },
    compiler: { enable: pick('compiler.enable', compiler.enable, isBoolean, defaultSettings.compiler.enable) },
    diagnostics: {
      scope: pick('diagnostics.scope', diagnostics.scope, (v): v is DiagnosticsScope => isString(v) && diagnosticsScopes.includes(v), defaultSettings.diagnostics.scope),
    },
  };
}

/** Asks the client for the `cgo` section as it applies to a resource (workspace/configuration). */
export type ConfigurationRequest = (scopeUri: string) => Promise<unknown>;

export class Settings {
  /** Per scope URI; cleared on every configuration change. */
  private readonly byScope = new Map<string, Promise<CgoSettings>>();
  private pushed: CgoSettings = { ...defaultSettings };

  /**
   * `rules` is the registry the settings may name; `request` is undefined when the client does
   * not support workspace/configuration; `inForce` is told the settings each scope gets, once
   * per configuration change: the server logs them.
   */
  constructor(
    private readonly rules: readonly Rule[],
    private readonly request: ConfigurationRequest | undefined,
    private readonly warn: (message: string) => void,
    private readonly inForce: (scopeUri: string | undefined, settings: CgoSettings) => void = () => undefined,
  ) {}

  /** Never rejects: a failed request falls back to the defaults. */
  get(scopeUri: string): Promise<CgoSettings> {
    const request = this.request;
    if (!request) return Promise.resolve(this.pushed);
    let settings = this.byScope.get(scopeUri);
    if (!settings) {
      settings = request(scopeUri).then(
        (section) => {
          const parsed = parseSettings(section, this.rules, this.warn);
          this.inForce(scopeUri, parsed);
          return parsed;
        },
        (error: unknown) => {
          this.warn(`workspace/configuration failed, using defaults: ${error instanceof Error ? error.message : String(error)}`);
          return { ...defaultSettings };
        },
      );
      this.byScope.set(scopeUri, settings);
    }
    return settings;
  }

  changed(params: DidChangeConfigurationParams): void {
    this.byScope.clear();
    // Clients without workspace/configuration send the settings themselves: { cgo: {...} }.
    if (!this.request) {
      const settings: unknown = params.settings;
      this.pushed = parseSettings(isRecord(settings) ? settings.cgo : undefined, this.rules, this.warn);
      this.inForce(undefined, this.pushed);
    }
  }
}
