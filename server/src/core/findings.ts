// The analysis result types: findings (diagnostics before LSP), their fixes, and rule metadata.

import type { Range, TextEdit } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
/** What a user may set per rule: a severity, or `ignore` to silence it. */
export type SeverityOverride = Severity | 'ignore';

/** Metadata of one diagnostic rule; every rule file exports one. */
export interface RuleMeta {
  /** Stable kebab-case id, e.g. `unknown-setting`; users type it in settings and suppression comments. */
  id: string;
  defaultSeverity: Severity;
  /** One sentence: what the rule reports and why it matters. */
  description: string;
  /** Link to the rule's section in docs/rules.md. */
  docsUrl: string;
}

/** A quick fix: a title and the edits that apply it, all in the same document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Edits in other files, for fixes that repair both sides of a cross-file mismatch. */
  otherFiles?: { uri: string; edits: TextEdit[] }[];
  /** The fix a user most likely wants (VS Code applies it with the "auto fix" shortcut). */
  isPreferred?: boolean;
  /**
   * Fix-all (`source.fixAll.gunicornConfig`, `check --fix`) may apply it unasked: the program then reads the file the
   * same way except that the defect is gone (dead or ignored text removed, or the one reading of a misspelt name or
   * value that the program rejects or ignores). Never set on fixes that choose a value, a mode, a name among several,
   * or add code or directives. See docs/rules.md, "Fix all".
   */
  safe?: boolean;
}

export interface RelatedInfo {
  uri: string;
  range: Range;
  message: string;
}

/** One problem found in a document. Plain data: the LSP layer and the CLI convert it. */
export interface Finding {
  rule: string;
  severity: Severity;
  range: Range;
  message: string;
  related?: RelatedInfo[];
  tags?: ('unnecessary' | 'deprecated')[];
  fixes?: Fix[];
}
