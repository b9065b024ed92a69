import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The suite runs beside control planes on a small machine: UI that appears
// after a poll can take longer than the library's default second to render.
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no SVG layout; DependencyGraph measures its nodes with getBBox.
if (
  typeof window !== 'undefined' &&
  !(window.SVGElement.prototype as any).getBBox
) {
  (window.SVGElement.prototype as any).getBBox = () => ({
    x: 0,
    y: 0,
    width: 120,
    height: 40,
  });
}
