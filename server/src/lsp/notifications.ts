// Notifications of our own that the server sends and the VS Code client shows (other clients may ignore them).

/** The deployment model's bound: sent when the number of files it left out changes (0: every file is modelled). */
export const MODEL_BOUNDS_NOTIFICATION = 'gunicornConfig/modelBounds';

export interface ModelBoundsParams {
  /** Deployment files the model holds: the ones nearest the open files. */
  modelled: number;
  /** Deployment files left out of cross-file checks. */
  leftOut: number;
}
