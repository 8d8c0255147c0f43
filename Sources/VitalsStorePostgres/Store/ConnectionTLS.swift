import Foundation
import NIOSSL

extension PostgresStoreConfiguration {
    /// The TLS that libpq's `sslmode` and `sslrootcert` ask for: nil for `disable`, else the settings and whether a
    /// connection without TLS is refused. `allow`, `prefer` and `require` encrypt without checking the certificate (as
    /// libpq does: they guard against eavesdropping, not against a server that is not the one meant); `require` with a root
    /// certificate checks it as `verify-ca` does.
    func tlsSettings() throws -> (configuration: TLSConfiguration, required: Bool)? {
        var settings = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate {
            guard FileManager.default.isReadableFile(atPath: rootCertificate) else {
                throw PostgresStoreError(database: description, message: "cannot read sslrootcert \(rootCertificate)")
            }
            settings.trustRoots = .file(rootCertificate)
        }
        switch tls {
        case .disable:
            return nil
        case .allow, .prefer:
            settings.certificateVerification = .none
            return (settings, false)
        case .require:
            settings.certificateVerification = rootCertificate == nil ? .none : .noHostnameVerification
            return (settings, true)
        case .verifyCA:
            settings.certificateVerification = .noHostnameVerification
            return (settings, true)
        case .verifyFull:
            settings.certificateVerification = .fullVerification
            return (settings, true)
        }
    }
}
