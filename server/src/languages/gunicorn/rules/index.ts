// Registry of every Gunicorn config rule. Add one import and one array entry per rule file.

import { deprecatedSetting } from './deprecatedSetting';
import { duplicateSetting } from './duplicateSetting';
import { hookArity } from './hookArity';
import { invalidValue } from './invalidValue';
import { maxRequestsWithoutJitter } from './maxRequestsWithoutJitter';
import { settingVersion } from './settingVersion';
import { syntaxError } from './syntaxError';
import { daemonUnderSupervisor } from './daemonUnderSupervisor';
import { invalidBind } from './invalidBind';
import { syncThreads } from './syncThreads';
import { unknownLogAtom } from './unknownLogAtom';
import { unknownLoglevel } from './unknownLoglevel';
import { unknownWorkerClass } from './unknownWorkerClass';
import { preloadWithReload } from './preloadWithReload';
import { preloadDbWithoutPostFork } from './preloadDbWithoutPostFork';
import { longTimeout } from './longTimeout';
import { forwardedAllowAllPublic } from './forwardedAllowAllPublic';
import { ignoredByWorker } from './ignoredByWorker';
import { gracefulTimeout } from './gracefulTimeout';
import { invalidHook } from './invalidHook';
import { asyncHook } from './asyncHook';
import type { GunicornRule } from './types';
import { unknownSetting } from './unknownSetting';

export const gunicornRules: readonly GunicornRule[] = [
  syntaxError,
  unknownSetting,
  invalidValue,
  invalidHook,
  hookArity,
  asyncHook,
  settingVersion,
  deprecatedSetting,
  duplicateSetting,
  maxRequestsWithoutJitter,
  invalidBind,
  unknownWorkerClass,
  unknownLoglevel,
  unknownLogAtom,
  syncThreads,
  daemonUnderSupervisor,
  ignoredByWorker,
  preloadWithReload,
  preloadDbWithoutPostFork,
  longTimeout,
  gracefulTimeout,
  forwardedAllowAllPublic,
];
