import Foundation
import VitalsTestSupport

/// Certificates made for one test with the openssl CLI, in a temporary folder: certificate authorities, server
/// certificates they sign, and self-signed ones, each for the subject alternative name asked for. Nothing is fixed in the
/// repository, so no certificate ever expires under the tests.
final class TestCertificates {
    struct Pair {
        let certificate: URL
        let key: URL
    }

    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    /// A certificate authority named `name`.
    func authority(_ name: String) throws -> Pair {
        let pair = files(name)
        try openssl(
            ["req", "-x509"] + newKey(pair) + [
                "-out", pair.certificate.path, "-days", "2", "-subj", "/CN=\(name)", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign",
            ])
        return pair
    }

    /// A server certificate for `alternativeName` (`IP:127.0.0.1`, `DNS:mail.example.com`), signed by `authority`, or
    /// self-signed when there is none.
    func server(_ name: String, alternativeName: String, signedBy authority: Pair?) throws -> Pair {
        let pair = files(name)
        guard let authority else {
            try openssl(
                ["req", "-x509"] + newKey(pair) + [
                    "-out", pair.certificate.path, "-days", "2", "-subj", "/CN=\(name)", "-addext", "subjectAltName=\(alternativeName)",
                ])
            return pair
        }
        let request = folder.url.appendingPathComponent("\(name).csr")
        try openssl(["req", "-new"] + newKey(pair) + ["-out", request.path, "-subj", "/CN=\(name)"])
        let extensions = try folder.write("\(name).ext", "subjectAltName=\(alternativeName)\n")
        try openssl([
            "x509", "-req", "-in", request.path, "-CA", authority.certificate.path, "-CAkey", authority.key.path, "-CAcreateserial",
            "-out", pair.certificate.path, "-days", "2", "-extfile", extensions,
        ])
        return pair
    }

    private func files(_ name: String) -> Pair {
        Pair(certificate: folder.url.appendingPathComponent("\(name).pem"), key: folder.url.appendingPathComponent("\(name).key"))
    }

    private func newKey(_ pair: Pair) -> [String] {
        ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", pair.key.path]
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LocalSMTPServer.ServerError(description: "openssl \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }
}
