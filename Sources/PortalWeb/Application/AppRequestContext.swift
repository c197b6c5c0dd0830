import Hummingbird

/// The per-request context: Hummingbird's core storage plus the request id and the reader's language.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// A random id shown on error pages and written in every log line about the request.
    public var requestID: String
    public var language: Language

    /// Creates the context for a new request.
    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.language = .vietnamese
    }
}

/// The languages the portal is written in; Vietnamese is the default.
public enum Language: String, Sendable, CaseIterable {
    case vietnamese = "vi"
    case english = "en"
}
