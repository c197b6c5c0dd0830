import Hummingbird
import NIOCore
import PortalStore

/// The per-request context: Hummingbird's core storage plus the request id and the reader's language.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// A random id shown on error pages and written in every log line about the request.
    public var requestID: String
    public var language: Language
    /// The signed-in session, if any.
    public var session: SessionStore.Session?
    /// The token every form of this page must send back as `csrf_token`.
    public var csrfToken: String
    /// The fields of a submitted `application/x-www-form-urlencoded` form (read once, by the session middleware).
    public var form: [String: String]
    /// The client's address, for throttling; nil in router tests.
    public let remoteAddress: String?

    /// Creates the context for a new request.
    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.language = .vietnamese
        self.session = nil
        self.csrfToken = ""
        self.form = [:]
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// The languages the portal is written in; Vietnamese is the default.
public enum Language: String, Sendable, CaseIterable {
    case vietnamese = "vi"
    case english = "en"
}
