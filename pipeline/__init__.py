"""duban's pipeline: readers → normalize → structure → extractors → record → tracker."""
