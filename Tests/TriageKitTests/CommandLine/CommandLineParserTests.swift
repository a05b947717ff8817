import Testing
@testable import TriageKit

@Suite struct CommandLineParserTests {
    @Test func parsesTheMainJob() throws {
        let options = try CommandLineParser.parse(["logs", "app.log", "-", "--format", "json", "--fail-on=HIGH", "-o", "out.json",
                                                   "--rules", "mine", "--top", "3", "--since", "2024-12-21 13:00", "-j", "2", "--encoding", "GBK"])
        #expect(options.command == .logs(paths: ["app.log", "-"]))
        #expect(options.format == .json)
        #expect(options.failOn == .high)
        #expect(options.output == "out.json")
        #expect(options.ruleDirectories == ["mine"])
        #expect(options.top == 3)
        #expect(options.since?.text == "2024-12-21 13:00:00.000")
        #expect(options.jobs == 2)
        #expect(options.encoding == .gbk)
    }

    @Test func parsesRulesAndHelpAndVersion() throws {
        #expect(try CommandLineParser.parse(["rules"]).command == .rulesList)
        #expect(try CommandLineParser.parse(["rules", "show", "fd-exhaustion"]).command == .rulesShow(id: "fd-exhaustion"))
        #expect(try CommandLineParser.parse(["rules", "check", "dir"]).command == .rulesCheck(directory: "dir"))
        #expect(try CommandLineParser.parse([]).command == .help(topic: nil))
        #expect(try CommandLineParser.parse(["logs", "--help"]).command == .help(topic: "logs"))
        #expect(try CommandLineParser.parse(["help", "rules"]).command == .help(topic: "rules"))
        #expect(try CommandLineParser.parse(["--version"]).command == .version)
    }

    @Test(arguments: [
        (["logs"], "logs needs at least one PATH"),
        (["log", "a"], "unknown command 'log' (did you mean 'logs'?)"),
        (["logs", "a", "--formt", "json"], "unknown option --formt (did you mean --format?)"),
        (["logs", "a", "--format", "yaml"], "--format must be one of text, markdown, json (got 'yaml')"),
        (["logs", "a", "--fail-on", "bad"], "--fail-on must be one of critical, high, medium, low, info (got 'bad')"),
        (["logs", "a", "--since", "yesterday"], "--since 'yesterday' is not a time"),
        (["logs", "a", "--format"], "--format needs a value (FORMAT)"),
        (["rules", "show"], "'rules show' needs one rule ID"),
        (["rules", "check", "d", "--fail-on", "high"], "--fail-on does not apply to 'rules'"),
    ])
    func refusesWithAMessageThatSaysWhatToDo(_ arguments: [String], _ message: String) {
        do {
            _ = try CommandLineParser.parse(arguments)
            Issue.record("expected a usage error for \(arguments)")
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test func helpListsEveryOptionOfTheCommand() {
        let help = HelpText.logs
        for spec in OptionSpec.all where spec.applies(to: "logs") {
            #expect(help.contains("--\(spec.long)"), "--\(spec.long) missing from help")
        }
        #expect(help.contains("Exit status:"))
        #expect(help.contains("Examples:"))
    }
}
