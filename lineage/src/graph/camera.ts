// Pan and zoom: screen = world * scale + offset, in CSS pixels.

/** Zoom limits: far enough out to see 10,000 nodes, close enough to read a label twice over. */
export const MIN_SCALE = 0.005;
export const MAX_SCALE = 2.5;

/** A rectangle in world coordinates. */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Zoom and the world point at the centre of the uncovered area (the graph URL's z, x, y). */
export interface CameraState {
  readonly z: number;
  readonly x: number;
  readonly y: number;
}

/** The view's transform. */
export class Camera {
  scale = 1;
  offsetX = 0;
  offsetY = 0;

  /** The world point under a screen point. */
  toWorld(screenX: number, screenY: number): [number, number] {
    return [(screenX - this.offsetX) / this.scale, (screenY - this.offsetY) / this.scale];
  }

  /** The world rectangle a viewport of this size shows. */
  visible(width: number, height: number): Rect {
    const [left, top] = this.toWorld(0, 0);
    const [right, bottom] = this.toWorld(width, height);
    return { left, top, right, bottom };
  }

  /** Moves the view by a screen distance. */
  pan(dx: number, dy: number): void {
    this.offsetX += dx;
    this.offsetY += dy;
  }

  /** Multiplies the scale by `factor`, keeping the world point under (screenX, screenY) still. */
  zoomAt(screenX: number, screenY: number, factor: number): void {
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const ratio = scale / this.scale;
    this.offsetX = screenX - (screenX - this.offsetX) * ratio;
    this.offsetY = screenY - (screenY - this.offsetY) * ratio;
    this.scale = scale;
  }

  /** Shows `rect` whole in a viewport, with a margin, never zooming in past `maxScale`. */
  fit(rect: Rect, width: number, height: number, maxScale = 1): void {
    const margin = 40;
    const scale = Math.min(
      maxScale,
      (width - 2 * margin) / Math.max(1, rect.right - rect.left),
      (height - 2 * margin) / Math.max(1, rect.bottom - rect.top),
    );
    this.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
    this.offsetX = width / 2 - ((rect.left + rect.right) / 2) * this.scale;
    this.offsetY = height / 2 - ((rect.top + rect.bottom) / 2) * this.scale;
  }

  /** Centres the world point (x, y), at `scale` if given. */
  centerOn(x: number, y: number, width: number, height: number, scale = this.scale): void {
    this.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
    this.offsetX = width / 2 - x * this.scale;
    this.offsetY = height / 2 - y * this.scale;
  }
}
