from claimtrack.entry import main

main()
