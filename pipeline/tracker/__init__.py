"""The tracker (督办台账): the SQLite store, the rebuild from an inbox folder, cross-document links,
Chinese search words, the supervisors' queries, exports and the folder watcher."""
