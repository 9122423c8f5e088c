using System.Management.Automation;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// Every output type, made by really running the cmdlets, formats through the module's own view: Out-String shows
/// the columns (or list labels) that Get-FormatData says the engine loaded, and never a bare .NET type name.
/// </summary>
public sealed class FormatTests(ModuleSession session) : MeshTest(session)
{
    /// <summary>One real object of every type the cmdlets output, by type name.</summary>
    private const string Samples = """
        $listener = Start-AsyaListener -Actor capture -MeshPath $mesh
        $actor = Start-AsyaActor -Name enrich -MeshPath $mesh -SinkActor capture -SumpActor capture -Process { $_.payload }
        $delivery = Send-AsyaMessage -Actor enrich -MeshPath $mesh -Payload @{ n = 1 } -PassThru
        $message = Receive-AsyaMessage -Listener $listener -Count 1 -TimeoutSec 10
        $result = $null
        for ($wait = 0; -not $result -and $wait -lt 200; $wait++) {
            $result = $actor | Receive-Job | Select-Object -First 1
            if (-not $result) { Start-Sleep -Milliseconds 50 }
        }
        $null = Start-AsyaActor -Name hop -MeshPath $mesh -SinkActor flow-sink -SumpActor flow-sump -Process { $_.payload }
        $flow = Invoke-AsyaFlow -Route hop -MeshPath $mesh -Payload @{ n = 2 } -SinkActor flow-sink -SumpActor flow-sump -TimeoutSec 10
        $checks = Test-AsyaMesh -MeshPath $mesh
        $envelope = New-AsyaEnvelope -Route enrich, capture -Payload @{ n = 3 }
        $connection = Get-AsyaMesh
        $delivery, $message, $listener, $actor, $result, $flow, $checks[0], $envelope, $connection, (Test-AsyaMesh -MeshPath $mesh -Quiet)
        """;

    /// <summary>For each sample: its type, the view Get-FormatData gives for it, the labels that view shows, and Out-String.</summary>
    private const string Formatted = """
        foreach ($sample in $input) {
            $data = $sample.pstypenames | ForEach-Object { Get-FormatData -TypeName $_ } | Select-Object -First 1
            $control = if ($data) { $data.FormatViewDefinition[0].Control }
            $labels = switch ($control) {
                { $_ -is [System.Management.Automation.TableControl] } {
                    for ($i = 0; $i -lt $_.Headers.Count; $i++) {
                        if ($_.Headers[$i].Label) { $_.Headers[$i].Label } else { $_.Rows[0].Columns[$i].DisplayEntry.Value }
                    }
                }
                { $_ -is [System.Management.Automation.ListControl] } {
                    $_.Entries[0].Items | ForEach-Object { if ($_.Label) { $_.Label } else { $_.DisplayEntry.Value } }
                }
            }
            [pscustomobject]@{
                Type = $sample.GetType().FullName
                View = if ($control) { $control.GetType().Name } else { '' }
                Labels = @($labels)
                Text = $sample | Out-String -Width 250
            }
        }
        """;

    [Fact]
    public void Every_output_type_of_every_cmdlet_has_a_sample_here()
    {
        var produced = Run(Samples).Select(sample => sample.BaseObject.GetType()).ToHashSet();
        var declared = Run("Get-Command -Module AsyaSocket | ForEach-Object { foreach ($type in $_.OutputType) { \"$($_.Name) $($type.Type.AssemblyQualifiedName)\" } }")
            .Select(line => line.ToString().Split(' ', 2))
            .Select(parts => (Cmdlet: parts[0], Type: Type.GetType(parts[1])!))
            .ToList();

        // A declared type is covered by a sample of it or of a type derived from it (AsyaActorJob is an AsyaListenerJob).
        Problems.AssertNone(
            declared.Where(item => !produced.Any(type => item.Type.IsAssignableFrom(type)))
                .Select(item => $"{item.Cmdlet} outputs {item.Type.FullName}; add a real one to {nameof(Samples)}."),
            "Output types without a sample");
    }

    [Fact]
    public void Every_module_type_formats_through_its_view_and_names_no_dotnet_type()
    {
        var problems = new List<string>();
        var formatted = Run($"& {{\n{Samples}\n}} | & {{\n{Formatted}\n}}");
        foreach (var sample in formatted)
        {
            var type = Value<string>(sample, "Type");
            var text = Value<string>(sample, "Text");
            var view = Value<string>(sample, "View");
            if (type.StartsWith("System.", StringComparison.Ordinal))
            {
                continue;
            }

            var labels = Value<string[]>(sample, "Labels");
            if (view is not ("TableControl" or "ListControl"))
            {
                problems.Add($"{type}: Get-FormatData gives no table or list view (got '{view}').");
                continue;
            }

            if (labels.Length == 0)
            {
                problems.Add($"{type}: its {view} shows nothing.");
            }

            var lines = text.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0).ToList();
            if (view == "TableControl")
            {
                // The header is the first line naming every column in order (a grouped table starts with its group).
                if (!lines.Any(line => ShowsInOrder(line, labels)))
                {
                    problems.Add($"{type}: Out-String shows no header with the view's columns {string.Join(", ", labels)} in order:\n{text}");
                }

                if (lines.Count < 3)
                {
                    problems.Add($"{type}: Out-String shows no row:\n{text}");
                }
            }
            else
            {
                problems.AddRange(labels.Where(label => !lines.Any(line => line.StartsWith(label, StringComparison.Ordinal)))
                    .Select(label => $"{type}: Out-String has no '{label} :' line:\n{text}"));
            }

            foreach (var leak in new[] { "AsyaSocket.", "System." })
            {
                if (text.Contains(leak, StringComparison.Ordinal))
                {
                    problems.Add($"{type}: Out-String shows a .NET type name ({leak}...), not a value:\n{text}");
                }
            }
        }

        Assert.True(formatted.Count >= 8, $"Only {formatted.Count} samples were formatted.");
        Problems.AssertNone(problems, "Formats");
    }

    [Fact]
    public void Every_view_the_module_loads_selects_a_type_of_the_module_with_those_properties()
    {
        var problems = Run("""
            $samples = & {
            """ + Samples + """
            }
            # Types a user reaches through an output's properties have views too.
            $samples += $samples | Where-Object { $_ -is [AsyaSocket.AsyaMessage] } | ForEach-Object Envelope
            foreach ($data in Get-FormatData -TypeName 'AsyaSocket.*') {
                $matching = @($samples | Where-Object { $_.pstypenames -contains $data.TypeNames[0] })
                if (-not $matching) { "$($data.TypeNames[0]): a view for a type no sample here is"; continue }
                foreach ($view in $data.FormatViewDefinition) {
                    $items = if ($view.Control -is [System.Management.Automation.TableControl]) {
                        $view.Control.Rows.Columns | ForEach-Object { [pscustomobject]@{ Entry = $_.DisplayEntry; Conditional = $false } }
                    } elseif ($view.Control -is [System.Management.Automation.ListControl]) {
                        $view.Control.Entries.Items | ForEach-Object { [pscustomobject]@{ Entry = $_.DisplayEntry; Conditional = [bool]$_.ItemSelectionCondition } }
                    }
                    foreach ($item in $items | Where-Object { $_.Entry.ValueType -eq 'Property' }) {
                        $having = @($matching | Where-Object { $_.psobject.Properties[$item.Entry.Value] }).Count
                        # Every object the view serves has the property, unless the item is shown only under a
                        # condition (an actor job's sink in the listener-job list): then some object has it.
                        if ($having -eq 0 -or (-not $item.Conditional -and $having -lt $matching.Count)) {
                            "$($data.TypeNames[0]) view '$($view.Name)': property '$($item.Entry.Value)' is on $having of $($matching.Count) samples it formats"
                        }
                    }
                }
            }
            """).Select(problem => problem.ToString());

        Problems.AssertNone(problems, "Views that do not match their types");
    }

    private static bool ShowsInOrder(string line, string[] labels)
    {
        var positions = labels.Select(label => line.IndexOf(label, StringComparison.Ordinal)).ToList();
        return positions.All(position => position >= 0) && positions.SequenceEqual(positions.Order());
    }

    private static T Value<T>(PSObject item, string property) => LanguagePrimitives.ConvertTo<T>(item.Properties[property].Value);
}
