using AsyaSocket.TestPeer;

// The test peer: a separate process the core tests talk to over real Unix sockets.
//
//   send <mesh> <actor> <count> <size> [--tag T] [--dial-attempts N] [--dial-interval-ms N] [--ack-timeout-ms N]
//       Sends <count> bodies of <size> bytes with the core's SocketSender, one after the other.
//       Prints "SENT <index> <length> <sha256> <attempts>" per acked message, or "ERROR <kind> <attempts> <message>" (exit 2).
//   receive <mesh> <actor> <count> [--when-taken] [--force] [--mode <octal>]
//       Listens with the core's SocketListener; prints "READY <path>", then "RECV <length> <sha256> <transport-id> <tag>"
//       per message, then "DONE" after <count> messages (exit 0).
//   raw-receiver <mesh> <actor> <good|close-without-ack|wrong-ack|never-ack> [--count N]
//       A receiver written with raw System.Net.Sockets (not the core). Prints "READY <path>", then per connection
//       "FRAME <length> <sha256> <tag>" (or "NOFRAME <header-bytes>") and what it did, then "DONE".
//   raw-sender <mesh> <actor> <frame <size> [--trickle]|header <8 hex digits>|partial-header|connect-close|silent <ms>>
//       A sender written with raw sockets that may misbehave. Prints what it sent and "REPLY <ACK|BYTE n|EOF|RESET|TIMEOUT>".
//   actor <mesh> <name> <count> [--suffix S] [--sink X] [--sump Y]
//       A core-level Asya actor (ActorRules): for each of <count> envelopes, appends S to the payload's text and
//       sends the result on along the route (or to the sink); prints "READY <path>", "ACTED <id> <target>", "DONE".
//   inspect <mesh> <actor>
//       Prints "INSPECT euid=<n> exists=<b> socket=<b> canConnect=<b> mode=<octal> uid=<n>" from MeshInspector.
//
// Every verb accepts --deadline-ms N (default 60000): the peer exits with code 124 when it runs longer, so a test
// that forgets it can never leave it behind for long.
try
{
    var command = PeerCommand.Parse(args);
    PeerOutput.StartDeadline(command.Int("deadline-ms", 60_000));
    return command.Verb switch
    {
        "send" => await CoreVerbs.SendAsync(command),
        "receive" => await CoreVerbs.ReceiveAsync(command),
        "inspect" => CoreVerbs.Inspect(command),
        "actor" => await CoreVerbs.ActAsync(command),
        "raw-receiver" => await RawVerbs.ReceiveAsync(command),
        "raw-sender" => await RawVerbs.SendAsync(command),
        _ => PeerOutput.Usage($"unknown verb '{command.Verb}'"),
    };
}
catch (PeerUsageException error)
{
    return PeerOutput.Usage(error.Message);
}
