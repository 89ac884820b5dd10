Console.WriteLine("BotConsole: coming soon");
