using AsyaSocket.HelpBuilder;

// AsyaSocket.HelpBuilder: the module's help without pwsh or platyPS.
//
//   --assembly <AsyaSocket.dll>   the compiled cmdlet assembly (read through MetadataLoadContext, never run)
//   --reference <file or dir>     assemblies it needs: the PowerShellStandard System.Management.Automation.dll (repeatable)
//   --docs <dir>                  docs/help/en-US: <Cmdlet>.md pages (platyPS schema 2.0.0) and about_*.md topics
//   --out <dir>                   writes <assembly file name>-Help.xml (MAML) and about_*.help.txt there
//   --scaffold <Cmdlet>           instead prints the SYNTAX and PARAMETERS sections platyPS would write for it
//   --check                       instead lists where the pages disagree with the code; exit code 1 if anywhere
string? assemblyPath = null;
string? docs = null;
string? output = null;
string? scaffold = null;
var check = false;
var references = new List<string>();
for (var index = 0; index < args.Length; index++)
{
    string Value() => index + 1 < args.Length ? args[++index] : throw new ArgumentException($"{args[index]} needs a value.");
    switch (args[index])
    {
        case "--assembly": assemblyPath = Value(); break;
        case "--reference": references.Add(Value()); break;
        case "--docs": docs = Value(); break;
        case "--out": output = Value(); break;
        case "--scaffold": scaffold = Value(); break;
        case "--check": check = true; break;
        default:
            Console.Error.WriteLine($"AsyaSocket.HelpBuilder: unknown argument '{args[index]}'.");
            return 2;
    }
}

if (assemblyPath is null)
{
    Console.Error.WriteLine("AsyaSocket.HelpBuilder: --assembly is required.");
    return 2;
}

using var module = CmdletAssembly.Load(assemblyPath, references);
var cmdlets = module.Cmdlets;
if (scaffold is not null)
{
    var cmdlet = cmdlets.FirstOrDefault(candidate => string.Equals(candidate.Name, scaffold, StringComparison.OrdinalIgnoreCase));
    if (cmdlet is null)
    {
        Console.Error.WriteLine($"AsyaSocket.HelpBuilder: no cmdlet '{scaffold}' in {assemblyPath}.");
        return 1;
    }

    Console.Write(HelpFacts.Scaffold(cmdlet));
    return 0;
}

if (docs is null)
{
    Console.Error.WriteLine("AsyaSocket.HelpBuilder: --docs is required.");
    return 2;
}

var moduleName = Path.GetFileNameWithoutExtension(assemblyPath);
var helpFileName = Path.GetFileName(assemblyPath) + "-Help.xml";
var pages = CommandHelp.ReadAll(docs, moduleName);
if (check)
{
    var problems = new List<string>();
    foreach (var cmdlet in cmdlets)
    {
        var page = pages.FirstOrDefault(candidate => string.Equals(candidate.Name, cmdlet.Name, StringComparison.OrdinalIgnoreCase));
        if (page is null)
        {
            problems.Add($"{cmdlet.Name}: no page {cmdlet.Name}.md in {docs}.");
            continue;
        }

        problems.AddRange(HelpCheck.Page(cmdlet, page, moduleName, helpFileName));
        problems.AddRange(HelpCheck.Syntax(cmdlet, page));
        problems.AddRange(HelpCheck.ParameterNames(cmdlet, page));
        problems.AddRange(HelpCheck.ParameterFacts(cmdlet, page));
        problems.AddRange(HelpCheck.InputsAndOutputs(cmdlet, page));
        problems.AddRange(HelpCheck.Examples(cmdlet, page));
    }

    problems.AddRange(pages.Where(page => !cmdlets.Any(cmdlet => string.Equals(cmdlet.Name, page.Name, StringComparison.OrdinalIgnoreCase)))
        .Select(page => $"{Path.GetFileName(page.Path)}: documents {page.Name}, which is not a cmdlet of {moduleName}."));
    problems.ForEach(Console.WriteLine);
    Console.WriteLine($"{problems.Count} problem(s) in {pages.Count} page(s) for {cmdlets.Count} cmdlet(s).");
    return problems.Count == 0 ? 0 : 1;
}

if (output is null)
{
    Console.Error.WriteLine("AsyaSocket.HelpBuilder: --out is required.");
    return 2;
}

Directory.CreateDirectory(output);
var written = new List<string>();
Write(helpFileName, MamlWriter.ToText(MamlWriter.Build(cmdlets, pages)));
foreach (var topic in AboutHelp.ReadAll(docs))
{
    Write(topic.Name + ".help.txt", AboutTopicWriter.ToText(topic));
}

var undocumented = cmdlets.Count(cmdlet => !pages.Any(page => string.Equals(page.Name, cmdlet.Name, StringComparison.OrdinalIgnoreCase)));
Console.WriteLine($"AsyaSocket.HelpBuilder: {cmdlets.Count} cmdlet(s), {pages.Count} page(s){(undocumented > 0 ? $", {undocumented} cmdlet(s) without a page" : string.Empty)}; wrote {string.Join(", ", written)}.");
return 0;

void Write(string name, string content)
{
    // Always rewritten, so the file is newer than its inputs and MSBuild's incremental check holds.
    File.WriteAllText(Path.Combine(output, name), content);
    written.Add(name);
}
