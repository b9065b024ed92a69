import '@testing-library/jest-dom';

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
