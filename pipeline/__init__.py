"""Pure stage code: no Faust, Kafka or Prometheus import under this package."""
