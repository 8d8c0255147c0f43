import VitalsCore
