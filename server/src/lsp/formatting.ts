// textDocument/formatting and rangeFormatting: the editor's options read defensively, the core's edits passed on.

import {
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  type ClientCapabilities,
  type Connection,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FormatOptions } from '../core/formatting';
import type { Range } from '../core/text';
import { formatDocument, formats } from '../languages/format';
import type { LanguageId } from '../languages/registry';

interface FormattingParamsLike {
  options?: unknown;
  range?: unknown;
}

/** The request's options; a client that sends none or nonsense gets four spaces. */
function optionsOf(raw: unknown): FormatOptions {
  const given = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const options: FormatOptions = {
    tabSize: typeof given.tabSize === 'number' ? given.tabSize : 4,
    insertSpaces: typeof given.insertSpaces === 'boolean' ? given.insertSpaces : true,
  };
  if (typeof given.insertFinalNewline === 'boolean') options.insertFinalNewline = given.insertFinalNewline;
  if (typeof given.trimFinalNewlines === 'boolean') options.trimFinalNewlines = given.trimFinalNewlines;
  return options;
}

function isRange(value: unknown): value is Range {
  const position = (p: unknown): boolean =>
    !!p &&
    typeof p === 'object' &&
    Number.isInteger((p as { line?: unknown }).line) &&
    Number.isInteger((p as { character?: unknown }).character);
  return (
    !!value &&
    typeof value === 'object' &&
    position((value as { start?: unknown }).start) &&
    position((value as { end?: unknown }).end)
  );
}

/**
 * The edits for a formatting request (with `range`: a range formatting request), or null for a language we leave to
 * other formatters (Gunicorn configs are Python).
 */
export function formattingEdits(
  document: TextDocument,
  language: LanguageId,
  path: string,
  params: FormattingParamsLike,
  ranged: boolean,
): TextEdit[] | null {
  if (!formats(language)) return null;
  const range = ranged && isRange(params.range) ? params.range : undefined;
  if (ranged && !range) return [];
  return formatDocument(language, document.getText(), optionsOf(params.options), path, range);
}

/**
 * The documents we format. Registered dynamically where the client can: the extension's selector also holds Python,
 * shell scripts and Dockerfiles, and a static capability would make us one more formatter for those (VS Code would
 * then ask the user to pick one, for files we never change).
 */
export const FORMATTING_SELECTOR = [
  { language: 'nginx' },
  { language: 'NGINX' },
  { language: 'systemd-unit-file' },
  { language: 'systemd' },
  { language: 'ini.systemd' },
  { pattern: '**/*.{service,socket,timer,path}' },
  { pattern: '**/*.{service,socket,timer,path}.d/*.conf' },
];

/** True when the client registers both formatting requests dynamically (with our document selector). */
export function formatsDynamically(capabilities: ClientCapabilities | undefined): boolean {
  const text = capabilities?.textDocument;
  return !!text?.formatting?.dynamicRegistration && !!text.rangeFormatting?.dynamicRegistration;
}

/** Registers both requests for FORMATTING_SELECTOR (after `initialized`). */
export function registerFormatting(connection: Connection): void {
  const options = { documentSelector: FORMATTING_SELECTOR };
  void connection.client.register(DocumentFormattingRequest.type, options).catch(() => undefined);
  void connection.client.register(DocumentRangeFormattingRequest.type, options).catch(() => undefined);
}
