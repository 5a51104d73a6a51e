"""openapi.yaml's `Name` schema: A DNS-1123 label, as faas-netes and faasd require."""

NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
NAME_MAX_LENGTH = 63
