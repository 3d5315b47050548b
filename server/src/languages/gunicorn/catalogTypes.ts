// Types of the Gunicorn catalogue (server/data/gunicorn/*.json): settings, hooks, worker classes, log atoms.

/** One Gunicorn setting or server hook. Facts come from Gunicorn's config.py; descriptions are our own words. */
export interface SettingInfo {
  name: string;
  kind: 'setting' | 'hook';
  /** The section of Gunicorn's settings reference, e.g. "Worker Processes". */
  section: string;
  /** Command-line flags, e.g. ["-w", "--workers"]; empty when the setting has none. */
  cli: string[];
  /** How the flag reads the command line: `store` takes a value, `store_true`/`store_const` take none, `append` repeats. */
  cliAction: 'store' | 'store_true' | 'store_const' | 'append';
  /** The validator in the newest release, e.g. "validate_pos_int". */
  validator: string;
  /** Validator history, oldest first: from `since` on, `name` judges the value. */
  validators: { since: string; name: string }[];
  /** A short human type, e.g. "int", "bool", "str", "list of str", "callable(server, worker)". */
  type: string;
  /** The default as shown to users (Python syntax or a sentence for computed defaults). */
  default: string;
  /** The literal to insert when completing `name = …` (Python source), when one makes sense. */
  insertValue?: string;
  /** Enumerated values a validator enforces (or, for worker_class, the shortcuts). */
  choices?: { value: string; description: string }[];
  /** First release with the setting ("0.10.0" for the oldest ones). */
  since: string;
  deprecated?: { since?: string; replacement?: string; message: string };
  removed?: { since: string; lastSeen: string };
  /** On Gunicorn's main branch but in no release yet. */
  unreleased?: boolean;
  /** Environment variables that feed the default. */
  envVars: string[];
  /** Hooks: parameter names and the positional arities Gunicorn accepts. */
  hook?: { params: string[]; arities: number[] };
  /** Markdown, our own words. */
  description: string;
  /** The setting's entry in Gunicorn's settings reference. */
  docsUrl: string;
}

export interface WorkerClassInfo {
  /** The value users write: a shortcut (`gthread`) or a dotted path (`uvicorn_worker.UvicornWorker`). */
  name: string;
  /** The class it resolves to. */
  className: string;
  /** True for Gunicorn's own shortcuts; false for third-party classes we know about. */
  builtin: boolean;
  since?: string;
  deprecated?: { since?: string; replacement?: string; message: string };
  removed?: { since: string };
  /** Does this worker honour worker_connections / keepalive / threads? */
  honours: { workerConnections: boolean; keepalive: boolean; threads: boolean };
  /** Async workers cope with slow clients and long-lived connections; sync and gthread do not. */
  async: boolean;
  /** Python package a user must install, when not part of Gunicorn. */
  requires?: string;
  description: string;
}

/** One `%(x)s` atom of access_log_format. */
export interface LogAtomInfo {
  /** The atom's key: `h`, `r`, `{header}i`, ... For the brace forms the key is a pattern like `{name}i`. */
  atom: string;
  description: string;
  since?: string;
}

export interface CatalogData {
  /** Which Gunicorn version the facts are current for, and where they came from. */
  source: string;
  settings: SettingInfo[];
  workerClasses: WorkerClassInfo[];
  accessLogAtoms: LogAtomInfo[];
}
