import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The suite runs beside control planes on a small machine: UI that appears
// after a poll can take longer than the library's default second to render.
configure({ asyncUtilTimeout: 10_000 });
