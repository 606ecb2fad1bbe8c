# make test-security: the slow security and durability suites that a plain `pytest` skips
# (sqlmap against the search box and the API, kill -9 of the server during concurrent comment
# writes on SQLite and PostgreSQL, kill -9 of the worker during a batch import, a full disk).
# The XSS, permission, header, backup and accessibility suites run in `make test` already.
# Included from the Makefile; .ci/run calls it.

.PHONY: test-security

test-security: dev
	NEWSDESK_SECURITY_SLOW=1 $(BIN)/pytest -p no:randomly tests/security/test_sqlmap.py \
		tests/durability/test_kill9.py tests/durability/test_worker_kill9.py \
		tests/durability/test_disk_full.py $(PYTEST_ARGS)
