Console.WriteLine("Quickstart: coming soon");
