using System.Reflection;
using System.Xml.Linq;

namespace AsyaSocket.Surface.Tests;

/// <summary>Every cmdlet declares [OutputType]; every module type it outputs has a view in AsyaSocket.Format.ps1xml.</summary>
public sealed class OutputTypeTests
{
    private const string FormatFile = "module/AsyaSocket.Format.ps1xml";

    public static TheoryData<string> Cmdlets => ModuleUnderTest.CmdletNames;

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlet_declares_OutputType(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        Assert.True(
            cmdlet.OutputTypeNames.Count > 0,
            $"{cmdlet.Name} ({cmdlet.Type.FullName}) has no [OutputType]: declare what it writes to the pipeline, so Get-Command, help and tab completion know it.");
        var unknown = cmdlet.OutputTypeNames
            .Where(type => !IsModuleType(type) && ModuleUnderTest.Instance.Assembly.Context.CoreAssembly?.GetType(type, throwOnError: false) is null)
            .Select(type => $"{cmdlet.Name} declares [OutputType] {type}, which is neither a type of the module nor of the core library.");
        ModuleUnderTest.AssertNone(unknown, $"Unknown output types of {cmdlet.Name}");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Each_output_type_of_the_module_has_a_view(string name)
    {
        var module = ModuleUnderTest.Instance;
        var cmdlet = module.Cmdlet(name);
        var views = ViewsByType();
        // PowerShell picks a view by the object's type names, which list its base classes too, so a view for a
        // base class (AsyaListenerJob for AsyaActorJob) serves a derived type.
        var problems = cmdlet.OutputTypeNames
            .Where(IsModuleType)
            .Where(type => !Hierarchy(FindModuleType(type)!).Any(views.ContainsKey))
            .Select(type => $"{cmdlet.Name} outputs {type}, which has no <View> with <ViewSelectedBy><TypeName>{type}</TypeName> (or a base class) in {FormatFile}.");
        ModuleUnderTest.AssertNone(problems, $"Output types of {cmdlet.Name} without a view");
    }

    [Fact]
    public void Views_select_module_types_and_name_their_properties()
    {
        var problems = new List<string>();
        foreach (var (typeName, view) in ViewsByType())
        {
            var type = FindModuleType(typeName);
            if (type is null)
            {
                problems.Add($"View '{ViewName(view)}' in {FormatFile} selects {typeName}, which is not a type of the module.");
                continue;
            }

            foreach (var property in view.Descendants("PropertyName").Select(element => element.Value.Trim()))
            {
                if (type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance) is null)
                {
                    problems.Add($"View '{ViewName(view)}' in {FormatFile} shows property '{property}', which {typeName} does not have.");
                }
            }
        }

        ModuleUnderTest.AssertNone(problems, "Format views that do not match their types");
    }

    private static Dictionary<string, XElement> ViewsByType()
    {
        var document = XDocument.Load(ModuleUnderTest.Instance.PathOf(FormatFile));
        var views = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var view in document.Descendants("View"))
        {
            foreach (var typeName in view.Elements("ViewSelectedBy").Elements("TypeName"))
            {
                views.TryAdd(typeName.Value.Trim(), view);
            }
        }

        return views;
    }

    private static bool IsModuleType(string typeName) => FindModuleType(typeName) is not null;

    private static Type? FindModuleType(string typeName) =>
        ModuleUnderTest.Instance.ModuleAssemblies
            .Select(assembly => assembly.GetType(typeName, throwOnError: false))
            .FirstOrDefault(type => type is not null);

    private static IEnumerable<string> Hierarchy(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current.FullName!;
        }
    }

    private static string ViewName(XElement view) => view.Element("Name")?.Value ?? "(unnamed)";
}
