// What a Dockerfile stage says about the container its image runs in: STOPSIGNAL, HEALTHCHECK, EXPOSE, USER and the
// base image, with where each is written; turned into the launch's container facet.

import type { ContainerFacet, ContainerPort } from '../gunicorn/launch';
import type { Locate, Span } from '../gunicorn/launchSites';

interface Written {
  value: string;
  span: Span;
}

export interface ImageFacts {
  /** The base image of the stage (a parent stage's, followed back to an image). */
  image?: Written;
  stopSignal?: Written;
  healthcheck?: Written;
  user?: Written;
  /** A SHELL instruction: the shell that runs shell forms is not `/bin/sh` then. */
  shell?: Written;
  expose: (Omit<ContainerPort, 'where'> & { span: Span; text: string })[];
  /** An EXPOSE word we cannot read (`$PORT`). */
  exposeUnknown?: boolean;
}

/** A copy for a stage built `FROM` another one (its image configuration is inherited). */
export function inheritImageFacts(parent: ImageFacts): ImageFacts {
  return { ...parent, expose: [...parent.expose] };
}

/** The instruction's arguments trimmed, with their span; undefined when empty. */
function written(args: string, argsFrom: number): Written | undefined {
  const value = args.trim();
  if (!value) return undefined;
  const from = argsFrom + args.indexOf(value);
  return { value, span: { from, to: from + value.length } };
}

/** Reads one instruction into the stage's facts; false when the keyword is none of ours. */
export function readImageInstruction(
  keyword: string,
  args: string,
  argsFrom: number,
  facts: ImageFacts,
): boolean {
  switch (keyword) {
    case 'STOPSIGNAL': {
      const value = written(args, argsFrom);
      if (value) facts.stopSignal = value;
      return true;
    }
    case 'HEALTHCHECK': {
      const value = written(args, argsFrom);
      if (value) facts.healthcheck = value;
      return true;
    }
    case 'USER': {
      const value = written(args, argsFrom);
      if (value) facts.user = value;
      return true;
    }
    case 'EXPOSE':
      readExpose(args, argsFrom, facts);
      return true;
    case 'SHELL': {
      const value = written(args, argsFrom);
      if (value) facts.shell = value;
      return true;
    }
    default:
      return false;
  }
}

/** The image a `FROM` line names (flags such as `--platform=…` skipped), with its span. */
export function fromImage(args: string, argsFrom: number): Written | undefined {
  const re = /\S+/g;
  for (let m = re.exec(args); m; m = re.exec(args)) {
    if (m[0].startsWith('--')) continue;
    return { value: m[0], span: { from: argsFrom + m.index, to: argsFrom + m.index + m[0].length } };
  }
  return undefined;
}

const PORT_WORD = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i;

function readExpose(args: string, argsFrom: number, facts: ImageFacts): void {
  const re = /\S+/g;
  for (let m = re.exec(args); m; m = re.exec(args)) {
    const word = m[0];
    const port = PORT_WORD.exec(word);
    if (!port) {
      facts.exposeUnknown = true;
      continue;
    }
    const first = Number(port[1]);
    const last = port[2] ? Number(port[2]) : first;
    facts.expose.push({
      port: first,
      last,
      protocol: (port[3]?.toLowerCase() as ContainerPort['protocol'] | undefined) ?? 'tcp',
      declaredBy: 'EXPOSE',
      span: { from: argsFrom + m.index, to: argsFrom + m.index + word.length },
      text: word,
    });
  }
}

/** An init that forwards signals to the command it starts (the first word of an ENTRYPOINT). */
export function isInitProgram(word: string | undefined): boolean {
  const name = (word ?? '').replace(/\\/g, '/').split('/').pop() ?? '';
  return name === 'tini' || name === 'tini-static' || name === 'dumb-init' || name === 'docker-init';
}

/** The container facet of a launch in this image, as far as the Dockerfile knows it (the runtime is unknown). */
export function imageContainer(facts: ImageFacts, initProgram: string | undefined) {
  return (locate: Locate): ContainerFacet => {
    const at = (w: Written) => locate(w.value, w.span);
    return {
      orchestrator: 'docker',
      ...(facts.image ? { image: at(facts.image) } : {}),
      ...(facts.stopSignal ? { stopSignal: at(facts.stopSignal) } : {}),
      ...(facts.healthcheck ? { healthcheck: at(facts.healthcheck) } : {}),
      ...(facts.user ? { user: at(facts.user) } : {}),
      ports: facts.expose.map(({ span, text, ...port }) => ({ ...port, where: locate(text, span) })),
      ...(facts.exposeUnknown ? { portsUnknown: true } : {}),
      ...(initProgram ? { initProgram } : {}),
      ...(facts.shell ? { shellInstruction: at(facts.shell) } : {}),
    };
  };
}
