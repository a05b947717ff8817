import Foundation
import PackagePlugin

/// Compiles every `rules/*.json5` file of the package into TriageKit as source text.
///
/// The rules folder is the registry: adding a file adds a built-in rule. SwiftPM plans plugin
/// commands only when the manifest changes, so the embedder lists the folder itself and the
/// folder is an input: adding or removing a file changes its modification time and re-runs it.
@main
struct EmbedRulesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rulesDirectory = context.package.directoryURL.appending(path: "rules")
        let ruleFiles = try FileManager.default
            .contentsOfDirectory(at: rulesDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json5" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinRuleSources.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(ruleFiles.count) built-in rules",
                executable: try context.tool(named: "triage-rule-embedder").url,
                arguments: [output.path, rulesDirectory.path],
                inputFiles: [rulesDirectory] + ruleFiles,
                outputFiles: [output]
            )
        ]
    }
}
