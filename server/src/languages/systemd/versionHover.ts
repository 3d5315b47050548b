// The version part of a directive's hover: since when systemd has it, whether it went away, and the target's verdict.

import { availability, sinceIn, whenWords } from './availability';
import type { DirectiveInfo } from './catalogTypes';
import { resolveSystemdVersion, type SystemdTarget } from './version';

/** A warning line when the target lacks the directive, and fact lines (since, removed, target) for the list. */
export function versionLines(
  info: DirectiveInfo,
  section: string | undefined,
  target: SystemdTarget = resolveSystemdVersion('auto'),
): { warning?: string; facts: string[] } {
  const facts: string[] = [];
  const since = sinceIn(info, section);
  if (since !== undefined) facts.push(`- Since systemd ${whenWords(since, info.sinceAfter)}`);
  const gone = info.gone;
  if (gone) {
    const when = whenWords(gone.version, gone.after);
    const instead = gone.replacement ? `; renamed to \`${gone.replacement}=\`` : '';
    facts.push(
      gone.how === 'removed'
        ? `- Removed in systemd ${when}${instead}`
        : `- Accepted but ignored since systemd ${when} (support removed)${instead}`,
    );
  }
  facts.push(`- Target: ${target.label}`);
  const state = availability(info, section, target.version);
  const perhaps = state.state !== 'available' && !state.certain ? 'Perhaps not' : 'Not';
  let warning: string | undefined;
  if (state.state === 'too-new') {
    warning = `⚠ ${perhaps} in systemd ${target.version}: added in ${whenWords(state.since, info.sinceAfter)}.`;
  } else if (state.state === 'removed') {
    warning = `⚠ ${perhaps} in systemd ${target.version}: removed in ${whenWords(state.version, gone?.after)}.`;
  } else if (state.state === 'ignored') {
    warning = `⚠ systemd ${target.version} ${state.certain ? 'ignores' : 'may ignore'} it: support was removed in ${whenWords(state.version, gone?.after)}.`;
  }
  return { ...(warning ? { warning } : {}), facts };
}
