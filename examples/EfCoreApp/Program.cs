Console.WriteLine("EfCoreApp: coming soon");
