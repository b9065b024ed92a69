/*
 * The resource tree benchmark; the script is bench/tree.ts:
 *
 *   cd /work/main && node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/crossplane-common/bench/tree.bench.ts [objects]
 */
import './tree';
