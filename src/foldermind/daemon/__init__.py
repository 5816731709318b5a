"""The daemon: one process with the watcher, the indexing worker, the HTTP server and the scheduler."""
