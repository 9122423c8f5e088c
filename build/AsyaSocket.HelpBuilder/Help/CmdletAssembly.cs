using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AsyaSocket.HelpBuilder;

/// <summary>
/// A cmdlet assembly opened in a <see cref="MetadataLoadContext"/>: its types can be inspected but no code of it
/// ever runs, and attributes are read as data (<see cref="CustomAttributeData"/>). That matters because the module
/// is compiled against the PowerShellStandard stub, whose attribute members return defaults when executed.
/// </summary>
public sealed class CmdletAssembly : IDisposable
{
    private const string Sma = "System.Management.Automation.";

    private readonly MetadataLoadContext _context;
    private IReadOnlyList<CmdletInfo>? _cmdlets;

    private CmdletAssembly(MetadataLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    /// <summary>The cmdlet assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>The context everything was loaded into.</summary>
    public MetadataLoadContext Context => _context;

    /// <summary>Every public, non-abstract class with a [Cmdlet] attribute, sorted by cmdlet name.</summary>
    public IReadOnlyList<CmdletInfo> Cmdlets => _cmdlets ??= ReadCmdlets();

    /// <summary>
    /// Opens <paramref name="assemblyPath"/>. Dependencies resolve from <paramref name="references"/> (files, or
    /// folders whose *.dll are taken), then the assembly's own folder and its subfolders (a laid-out module's
    /// private dependencies/), then the running runtime's assemblies.
    /// </summary>
    public static CmdletAssembly Load(string assemblyPath, IEnumerable<string> references)
    {
        var assemblyFullPath = Path.GetFullPath(assemblyPath);
        var candidates = new List<string>();
        foreach (var reference in references)
        {
            candidates.AddRange(Directory.Exists(reference) ? Directory.GetFiles(reference, "*.dll") : new[] { reference });
        }

        candidates.AddRange(Directory.GetFiles(Path.GetDirectoryName(assemblyFullPath)!, "*.dll", SearchOption.AllDirectories));
        candidates.AddRange(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));

        // The first file with a given name wins: an explicit reference over a sibling over the runtime's copy.
        var paths = candidates
            .Select(Path.GetFullPath)
            .GroupBy(path => Path.GetFileName(path), StringComparer.OrdinalIgnoreCase)
            .Select(group => group.First())
            .ToList();
        if (!paths.Any(path => Path.GetFileName(path).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FileNotFoundException("No System.Management.Automation.dll among the references: pass the PowerShellStandard.Library one.");
        }

        var context = new MetadataLoadContext(new PathAssemblyResolver(paths), typeof(object).Assembly.GetName().Name);
        try
        {
            return new CmdletAssembly(context, context.LoadFromAssemblyPath(assemblyFullPath));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>The attribute data of <paramref name="member"/> whose attribute type has this full name.</summary>
    public static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string attributeFullName) =>
        member.GetCustomAttributesData().Where(data => data.AttributeType.FullName == attributeFullName);

    /// <summary>A named argument of an attribute, or <paramref name="fallback"/> when not given.</summary>
    public static T Named<T>(CustomAttributeData data, string name, T fallback)
    {
        foreach (var argument in data.NamedArguments)
        {
            if (argument.MemberName == name && argument.TypedValue.Value is T value)
            {
                return value;
            }
        }

        return fallback;
    }

    /// <summary>True when <paramref name="type"/> or a base type has this full name.</summary>
    public static bool DerivesFrom(Type type, string baseFullName)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.FullName == baseFullName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type name as platyPS writes it by default: String, String[], Int32 for int?, AsyaMessage.</summary>
    public static string ShortName(Type type)
    {
        if (type.IsArray)
        {
            return ShortName(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            if (type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
            {
                return ShortName(arguments[0]);
            }

            var name = type.Name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            return (tick < 0 ? name : name[..tick]) + "[" + string.Join(",", arguments.Select(ShortName)) + "]";
        }

        return type.Name;
    }

    /// <inheritdoc />
    public void Dispose() => _context.Dispose();

    private List<CmdletInfo> ReadCmdlets()
    {
        var cmdlets = new List<CmdletInfo>();
        foreach (var type in Assembly.GetTypes())
        {
            if (!type.IsClass || type.IsAbstract || !type.IsPublic)
            {
                continue;
            }

            var cmdlet = Attributes(type, Sma + "CmdletAttribute").FirstOrDefault();
            if (cmdlet is null)
            {
                continue;
            }

            cmdlets.Add(new CmdletInfo(
                type,
                (string)cmdlet.ConstructorArguments[0].Value!,
                (string)cmdlet.ConstructorArguments[1].Value!,
                Named<string?>(cmdlet, "DefaultParameterSetName", null),
                Named(cmdlet, "SupportsShouldProcess", false),
                ConfirmImpactName(cmdlet),
                OutputTypes(type),
                ReadParameters(type))
            {
                HelpUri = Named<string?>(cmdlet, "HelpUri", null),
            });
        }

        return cmdlets.OrderBy(cmdlet => cmdlet.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static string? ConfirmImpactName(CustomAttributeData cmdlet)
    {
        var argument = cmdlet.NamedArguments.FirstOrDefault(named => named.MemberName == "ConfirmImpact");
        if (argument.MemberInfo is null || argument.TypedValue.Value is not int value)
        {
            return null;
        }

        return value switch { 0 => "None", 1 => "Low", 2 => "Medium", 3 => "High", _ => value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    private static List<string> OutputTypes(Type type)
    {
        var names = new List<string>();
        foreach (var data in Attributes(type, Sma + "OutputTypeAttribute"))
        {
            foreach (var argument in data.ConstructorArguments)
            {
                var values = argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> array
                    ? array.Select(item => item.Value)
                    : new[] { argument.Value };
                foreach (var value in values)
                {
                    switch (value)
                    {
                        case Type outputType:
                            names.Add(outputType.FullName ?? outputType.Name);
                            break;
                        case string typeName:
                            names.Add(typeName);
                            break;
                    }
                }
            }
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<CmdletParameter> ReadParameters(Type type)
    {
        var parameters = new List<CmdletParameter>();
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance;
        var members = type.GetProperties(Flags).Cast<MemberInfo>().Concat(type.GetFields(Flags));

        // A derived cmdlet may hide a base parameter with `new` to bind it differently; like PowerShell,
        // only the most derived declaration of a name counts.
        members = members
            .GroupBy(member => member.Name, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.OrderByDescending(member => Depth(member.DeclaringType)).First());
        foreach (var member in members)
        {
            var declarations = Attributes(member, Sma + "ParameterAttribute").Select(Declaration).ToList();
            if (declarations.Count == 0)
            {
                continue;
            }

            var memberType = member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;
            var aliases = Attributes(member, Sma + "AliasAttribute")
                .SelectMany(data => data.ConstructorArguments)
                .SelectMany(argument => argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> array
                    ? array.Select(item => item.Value as string)
                    : new[] { argument.Value as string })
                .OfType<string>()
                .ToList();
            parameters.Add(new CmdletParameter(
                member.Name,
                ShortName(memberType),
                memberType.FullName ?? memberType.Name,
                aliases,
                Attributes(member, Sma + "SupportsWildcardsAttribute").Any(),
                declarations));
        }

        return parameters;
    }

    private static int Depth(Type? type)
    {
        var depth = 0;
        for (; type is not null; type = type.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static ParameterDeclaration Declaration(CustomAttributeData data)
    {
        var position = Named(data, "Position", int.MinValue);
        var setName = Named<string?>(data, "ParameterSetName", null);
        return new ParameterDeclaration(
            string.IsNullOrEmpty(setName) ? CmdletInfo.AllParameterSets : setName,
            Named(data, "Mandatory", false),
            position == int.MinValue ? null : position,
            Named(data, "ValueFromPipeline", false),
            Named(data, "ValueFromPipelineByPropertyName", false),
            Named(data, "ValueFromRemainingArguments", false),
            Named<string?>(data, "HelpMessage", null),
            Named(data, "DontShow", false));
    }
}
