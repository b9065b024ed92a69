module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Raw figures and the earlier versions a benchmark compares against.
  ignorePatterns: ['logs/'],
});
