"""The authorization matrix's rows and world; its tests are tests/test_authorization_matrix.py."""
