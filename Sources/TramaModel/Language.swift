/// The users' languages: what they read can be Italian.
public enum Language: String, Sendable, Codable, CaseIterable {
    case en, it
}
