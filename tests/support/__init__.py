"""What the tests of several folders share: a real sync server and replicas (servers.py, a
pytest plugin that tests/conftest.py registers), and helpers that read and drive them (sync.py)."""
