"""`/components/schemas/StringMap` in openapi.yaml"""

StringMap = dict[str, str]
