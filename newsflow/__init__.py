"""newsflow: a streaming news-processing pipeline on Kafka and Faust."""

__version__ = "0.1.0"
