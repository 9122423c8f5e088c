using System.Collections;
using System.Management.Automation;

namespace AsyaSocket;

/// <summary>
/// Counts the body bytes held in a listener job's output, so the job can bound it in bytes as well as in
/// messages. Everything is appended through here; readers take from the front only (Receive-Job takes all,
/// Receive-AsyaMessage -Listener the oldest), so an output shorter than the ledger lost its oldest entries.
/// </summary>
internal sealed class OutputLedger
{
    private readonly PSDataCollection<PSObject> _output;
    private readonly LinkedList<long> _lengths = new();
    private readonly object _gate;
    private long _bytes;

    public OutputLedger(PSDataCollection<PSObject> output)
    {
        _output = output;

        // The collection's own lock: Receive-Job's ReadAll and the pumps' appends are serialised with ours.
        _gate = ((ICollection)output).SyncRoot;
    }

    /// <summary>Body bytes of the entries still in the output.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                Reconcile();
                return _bytes;
            }
        }
    }

    /// <summary>Appends an entry that holds <paramref name="bytes"/> body bytes.</summary>
    public void Append(PSObject entry, long bytes)
    {
        lock (_gate)
        {
            _output.Add(entry);
            _lengths.AddLast(bytes);
            _bytes += bytes;
        }
    }

    /// <summary>Takes the oldest entry; false when the output is empty.</summary>
    public bool TryTakeFirst(out PSObject entry)
    {
        lock (_gate)
        {
            Reconcile();
            if (_output.Count > 0)
            {
                entry = _output[0];
                _output.RemoveAt(0);
                _bytes -= _lengths.First!.Value;
                _lengths.RemoveFirst();
                return true;
            }
        }

        entry = null!;
        return false;
    }

    /// <summary>Puts a taken entry back in front.</summary>
    public void PutBackFirst(PSObject entry, long bytes)
    {
        lock (_gate)
        {
            Reconcile();
            _output.Insert(0, entry);
            _lengths.AddFirst(bytes);
            _bytes += bytes;
        }
    }

    private void Reconcile()
    {
        while (_lengths.Count > _output.Count)
        {
            _bytes -= _lengths.First!.Value;
            _lengths.RemoveFirst();
        }
    }
}
