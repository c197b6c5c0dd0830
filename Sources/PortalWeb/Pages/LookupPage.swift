/// Looking up a dossier by its code.
struct LookupPage: Sendable {
    let code: String
    let searched: Bool
    let error: String?
    let notFound: Bool
}
