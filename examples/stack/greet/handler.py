import os


def handle(req: str) -> str:
    return f"{os.environ.get('GREETING', 'Hello')}, {req or os.environ.get('AUDIENCE', 'world')}!"
