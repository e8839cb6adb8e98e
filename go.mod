module tracksgo

go 1.26.8
