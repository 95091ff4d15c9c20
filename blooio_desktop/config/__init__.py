"""Settings, paths, secrets and environment: where the app keeps what it knows about the user."""
