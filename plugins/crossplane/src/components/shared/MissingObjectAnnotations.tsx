import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { CROSSPLANE_ANNOTATIONS } from '../../conditions';

/** Shown on entities that do not say which object they stand for. */
export function MissingObjectAnnotations() {
  return (
    <MissingAnnotationEmptyState
      annotation={[
        CROSSPLANE_ANNOTATIONS.cluster,
        CROSSPLANE_ANNOTATIONS.apiVersion,
        CROSSPLANE_ANNOTATIONS.kind,
        CROSSPLANE_ANNOTATIONS.name,
      ]}
    />
  );
}
