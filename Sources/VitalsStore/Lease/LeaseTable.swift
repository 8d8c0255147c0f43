/// The leader lease's table (schema v6): one row, the daemon that holds the lease, the lease's epoch (which grows with
/// every change of holder) and when it expires (milliseconds since the epoch).
enum LeaseTable {
    static let creation = """
        CREATE TABLE leader_lease (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            holder TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            expires INTEGER NOT NULL
        )
        """
}
