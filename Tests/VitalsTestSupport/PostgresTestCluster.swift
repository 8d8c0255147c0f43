public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL cluster for the tests of the PostgreSQL backend: created with Debian's `initdb` in a temporary
/// folder, listening on 127.0.0.1 only, started once per test process and stopped (its folder removed) when the process
/// exits. Nothing of the machine's own PostgreSQL (its clusters, its service) is used or touched.
///
/// `initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user that Debian's package creates
/// and every server program runs through `runuser`; as any other user it runs as that user. The server asks for a
/// password (SCRAM), as a production server would.
public struct PostgresTestCluster: Sendable {
    public let host: String
    public let port: Int
    public let user: String
    public let password: String
    /// The folder of the server's programs (`createdb`, ...).
    public let bin: String
    /// The folder of the server's Unix-domain socket.
    public let socketDirectory: String
    /// With TLS on (``start(durable:tls:)``), the server's self-signed certificate (PEM), which names only `localhost`.
    public let certificate: String?
    /// The cluster's data folder, its server log and the options its server runs with (for ``stop()`` and ``startAgain()``).
    private let data: String
    private let logFile: String
    private let options: String

    /// The cluster of this test process, started on first use; every later call returns the same one (or the same error).
    public static func shared() async throws -> PostgresTestCluster {
        try await starter.cluster()
    }

    private static let starter = Starter()

    private actor Starter {
        private var started: Result<PostgresTestCluster, PostgresClusterError>?

        func cluster() throws -> PostgresTestCluster {
            let result = started ?? Result { () throws(PostgresClusterError) in try PostgresTestCluster.start(durable: false) }
            started = result
            return try result.get()
        }
    }

    /// A new, empty database made with `createdb`, for tests that reach the cluster through a `vitals` process; its name.
    public func newDatabase() throws -> String {
        let name = "vitals_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("createdb-\(name).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let command = ["/usr/bin/env", "PGPASSWORD=\(password)", bin + "/createdb", "-h", host, "-p", "\(port)", "-U", user, name]
        let status = try runToEnd(command, output: log)
        guard status == 0 else {
            throw PostgresClusterError.cannotStart("createdb exited with \(status): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        return name
    }

    /// Stops the server as an administrator's restart or a failover does (`pg_ctl stop -m fast`: every session is ended)
    /// and starts it again on the same port; returns once it accepts connections.
    public func restart() throws(PostgresClusterError) {
        try stop()
        try startAgain()
    }

    /// Stops the server (`pg_ctl stop -m fast`: every session is ended), as an outage does, until ``startAgain()``.
    public func stop() throws(PostgresClusterError) {
        try ServerUser.current().run(bin + "/pg_ctl", ["-D", data, "-w", "-t", "120", "-m", "fast", "stop"], log: logFile + ".stop")
    }

    /// Starts the server ``stop()`` stopped, on the same port; returns once it accepts connections.
    public func startAgain() throws(PostgresClusterError) {
        try ServerUser.current().run(
            bin + "/pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "120", "-o", options, "start"], log: logFile + ".start")
    }

    /// A self-signed certificate and its key for the host name `localhost`, `server.crt` and `server.key` in `folder`, owned
    /// by the server's user (which refuses a key others can read).
    private static func makeCertificate(in folder: String, for server: ServerUser) throws {
        let command = [
            "/usr/bin/env", "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", folder + "/server.key", "-out", folder + "/server.crt",
        ]
        let log = folder + "/openssl.log"
        guard try runToEnd(command, output: log) == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresClusterError.cannotStart("openssl could not make a certificate: \(output)")
        }
        try server.own(folder + "/server.crt", folder + "/server.key")
        chmod(folder + "/server.key", 0o600)
    }

    /// How many ports are tried: the kernel offers a free one, which another process may take before the server binds it.
    private static let attempts = 5

    /// Starts a cluster of its own (stopped when the process exits), for a process that needs one without the tests' shared one:
    /// the benchmarks start one `durable`, flushing its write-ahead log and writing full pages as a production server does, but
    /// committing without waiting for the flush (`synchronous_commit=off`), as SQLite's write-ahead log with `synchronous=NORMAL`.
    /// Without `durable` nothing is flushed at all, which keeps the tests' many small databases quick to create.
    /// `VITALS_POSTGRES_OPTIONS` adds server options (`-c name=value …`), to profile a benchmark's statements, for example
    /// with `auto_explain` (`docs/benchmarks.md`).
    ///
    /// With `tls`, the server offers TLS (`ssl=on`) with a self-signed certificate for the host name `localhost` alone
    /// (``certificate``), so clients can be checked against each `sslmode`.
    public static func start(durable: Bool, tls: Bool = false) throws(PostgresClusterError) -> PostgresTestCluster {
        let bin = try serverPrograms()
        let server = try ServerUser.current()
        let folder = server.temporaryRoot.appendingPathComponent("vitals-postgres-\(UUID().uuidString)")
        let data = folder.appendingPathComponent("data").path
        let password = UUID().uuidString
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let passwordFile = folder.appendingPathComponent("password").path
            try password.write(toFile: passwordFile, atomically: false, encoding: .utf8)
            try server.own(folder.path, passwordFile)
            try server.run(
                bin + "/initdb",
                ["-D", data, "-U", "vitals", "--auth=scram-sha-256", "--pwfile=\(passwordFile)", "-E", "UTF8", "--no-locale", "--no-sync"],
                log: folder.appendingPathComponent("initdb.log").path)
            if tls { try makeCertificate(in: folder.path, for: server) }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error as? PostgresClusterError ?? .cannotStart("cannot prepare \(folder.path): \(error)")
        }
        let logFile = folder.appendingPathComponent("server.log").path
        for _ in 0..<attempts {
            let port = try freePort()
            let options =
                "-p \(port) -c listen_addresses=127.0.0.1 -k \(folder.path) -c synchronous_commit=off -c max_connections=300"
                + (durable ? "" : " -c fsync=off -c full_page_writes=off")
                + (tls ? " -c ssl=on -c ssl_cert_file=\(folder.path)/server.crt -c ssl_key_file=\(folder.path)/server.key" : "")
                + (ProcessInfo.processInfo.environment["VITALS_POSTGRES_OPTIONS"].map { " " + $0 } ?? "")
            do {
                try server.run(
                    bin + "/pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "120", "-o", options, "start"],
                    log: folder.appendingPathComponent("pg_ctl.log").path)
            } catch {
                // A port taken in the meantime shows in the server's log; anything else will not go away with another port.
                let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
                if log.contains("could not bind") || log.contains("Address already in use") { continue }
                try? FileManager.default.removeItem(at: folder)
                throw .cannotStart("\(error)\n\(log.suffix(2_000))")
            }
            StopAtExit.register(stop: server.command(bin + "/pg_ctl", ["-D", data, "-m", "immediate", "stop"]), folder: folder.path)
            return PostgresTestCluster(
                host: "127.0.0.1", port: port, user: "vitals", password: password, bin: bin, socketDirectory: folder.path,
                certificate: tls ? folder.appendingPathComponent("server.crt").path : nil, data: data, logFile: logFile, options: options)
        }
        try? FileManager.default.removeItem(at: folder)
        throw .cannotStart("no free port after \(attempts) attempts")
    }

    /// The folder of the newest PostgreSQL's server programs: `$VITALS_POSTGRES_BIN`, or Debian's `/usr/lib/postgresql/N/bin`.
    private static func serverPrograms() throws(PostgresClusterError) -> String {
        if let bin = ProcessInfo.processInfo.environment["VITALS_POSTGRES_BIN"] { return bin }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        guard let newest = versions.last(where: { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }) else {
            throw .notInstalled
        }
        return "\(root)/\(newest)/bin"
    }

    /// A port on 127.0.0.1 that the kernel says is free now.
    private static func freePort() throws(PostgresClusterError) -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw .cannotStart("socket: errno \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw .cannotStart("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the test cluster did not start; the message says what to do.
public enum PostgresClusterError: Error, CustomStringConvertible {
    case notInstalled
    case notAsRoot
    case cannotStart(String)

    public var description: String {
        switch self {
        case .notInstalled:
            "PostgreSQL's server programs are not installed (looked for /usr/lib/postgresql/*/bin/initdb): run scripts/setup --test, "
                + "or set VITALS_POSTGRES_BIN to the folder holding initdb and pg_ctl"
        case .notAsRoot:
            "initdb refuses to run as root and there is no `postgres` user to run it as: run scripts/setup --test (Debian's postgresql "
                + "package creates that user) or run the tests as another user"
        case .cannotStart(let reason): "the test PostgreSQL cluster did not start: \(reason)"
        }
    }
}

/// The user the server programs run as: the `postgres` user when the tests run as root, else the tests' own user.
private struct ServerUser {
    let account: (uid: uid_t, gid: gid_t)?

    static func current() throws(PostgresClusterError) -> ServerUser {
        guard geteuid() == 0 else { return ServerUser(account: nil) }
        guard let entry = getpwnam("postgres") else { throw .notAsRoot }
        return ServerUser(account: (entry.pointee.pw_uid, entry.pointee.pw_gid))
    }

    /// Where the cluster's folder goes: one the `postgres` user can reach when it is not the tests' own user.
    var temporaryRoot: URL { account == nil ? FileManager.default.temporaryDirectory : URL(fileURLWithPath: "/tmp") }

    func own(_ paths: String...) throws {
        guard let account else { return }
        for path in paths where chown(path, account.uid, account.gid) != 0 {
            throw PostgresClusterError.cannotStart("cannot give \(path) to the postgres user: errno \(errno)")
        }
    }

    func command(_ program: String, _ arguments: [String]) -> [String] {
        account == nil ? [program] + arguments : ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments
    }

    /// Runs `program` to its end with its output in `log` (never a pipe: the server `pg_ctl` starts would hold it open).
    func run(_ program: String, _ arguments: [String], log: String) throws(PostgresClusterError) {
        let status: Int32
        do {
            status = try runToEnd(command(program, arguments), output: log)
        } catch {
            throw .cannotStart("cannot run \(program): \(error)")
        }
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw .cannotStart("\(program) \(arguments.joined(separator: " ")) exited with \(status): \(output.suffix(2_000))")
        }
    }
}

/// Runs `command` to its end, its output in the file `output`.
private func runToEnd(_ command: [String], output: String) throws -> Int32 {
    let pid = try spawn(command, output: output)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw PostgresClusterError.cannotStart("waitpid: errno \(errno)") }
    }
    // WIFEXITED / WEXITSTATUS, which Swift does not import.
    return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
}

/// Starts `command` with standard input from /dev/null, its output in `output`, and none of the test process's other
/// descriptors: the server that `pg_ctl` leaves running must hold no pipe or socket of a test (Foundation's `Process`
/// passes one of its own, and then waits for the server to exit before it reports `pg_ctl` finished).
private func spawn(_ command: [String], output: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // glibc 2.34 has it, but Swift's Glibc module does not declare it.
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let closeFrom = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
        throw PostgresClusterError.cannotStart("this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later has)")
    }
    _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
    let arguments = command.map { strdup($0) } + [nil]
    defer { for argument in arguments { free(argument) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, command[0], &actions, nil, arguments, environ)
    guard result == 0 else { throw PostgresClusterError.cannotStart("cannot start \(command[0]): errno \(result)") }
    return pid
}

/// Stops the cluster when the test process exits; a watchdog process stops it too if the test process dies without exiting
/// (a crash), so no server outlives its tests.
private enum StopAtExit {
    nonisolated(unsafe) private static var stop: [String] = []
    nonisolated(unsafe) private static var folder = ""

    static func register(stop command: [String], folder path: String) {
        stop = command
        folder = path
        atexit {
            _ = try? runToEnd(StopAtExit.stop, output: "/dev/null")
            try? FileManager.default.removeItem(atPath: StopAtExit.folder)
        }
        let quoted = (command + ["-s"]).map { "'\($0)'" }.joined(separator: " ")
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 2; done; \(quoted) >/dev/null 2>&1; rm -rf '\(path)'"
        _ = try? spawn(["/bin/sh", "-c", script], output: "/dev/null")
    }
}
