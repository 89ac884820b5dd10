Console.WriteLine("Worker: coming soon");
