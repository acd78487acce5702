using ChatLoad;

// chatload load  --port P --pid PID --clients N --senders K [--rate R | --rate 0 --batch 64] [--seconds S] [--window W]
// chatload idle  --port P --pid PID --clients N
// chatload churn --port P --pid PID --clients N --rounds R
// --prefix none: relayed lines carry no "<name> " prefix (the C floor broker).
// --transport udp: the clients are datagram peers of a UDP room (marcel serve --chat --udp), one line per datagram.
// --ws WEBPORT: the clients are WebSocket members of the browser room (marcel serve --chat --web WEBPORT), not line clients.
// Each prints one "RESULT key=value ..." line for bench/chat/run.sh.
var options = Options.Parse(args);
LoadClient.ExpectPrefix = options.Prefixed;
LoadClient.Udp = options.Udp;
LoadClient.WebSocketPort = options.WebSocketPort;
return options.Mode switch
{
    "load" => await LoadRun.RunAsync(options),
    "idle" => await IdleRun.RunAsync(options),
    "churn" => await ChurnRun.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: chatload load|idle|churn --port P --pid PID --clients N [--senders K] [--rate R] [--batch B] [--seconds S] [--window W] [--rounds R] [--prefix none] [--transport tcp|udp] [--ws WEBPORT]");
    return 1;
}
