namespace AsyaSocket.Testing.Contract;

/// <summary>
/// The attribute every contract test carries. Each project that compiles the suite defines it: the socket
/// transport needs nothing (it always runs); a broker's project derives it from its own broker-or-skip fact.
/// </summary>
public sealed class ContractFactAttribute : FactAttribute
{
}
